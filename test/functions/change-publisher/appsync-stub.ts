// Stands in for AppSync's GraphQL endpoint (AppSync itself cannot run here): verifies each
// request's SigV4 signature with @smithy/signature-v4 against the expected credentials, validates
// the operation against the real schema, and records the publish mutations it receives.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { buildSchema, getNamedType, isObjectType, parse, validate, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { readSchemaSDL } from '../../../infra/schema.ts';

export interface RecordedMutation {
  field: string;
  input: Record<string, unknown>;
  selected: string[];
  /** Every field of the mutation's return type. */
  available: string[];
}

export interface AppSyncStub {
  url: string;
  mutations: RecordedMutation[];
  rejected: number;
  /** The key pair requests must be signed with. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

const REGION = 'us-east-1';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function signatureValid(stub: AppSyncStub, req: IncomingMessage, body: string, port: number): Promise<boolean> {
  const authorization = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(authorization);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!match || match[3] !== REGION || match[4] !== 'appsync' || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;
  const signedHeaders = match[5].split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return false;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(req.headers[name] ?? '');
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: 'appsync', region: REGION, credentials: stub.credentials, sha256: Sha256 });
  const expected = await signer.sign(
    { method: req.method ?? 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: req.url ?? '/', query: {}, headers, body },
    { signingDate },
  );
  return expected.headers.authorization === authorization;
}

function describeMutation(schema: GraphQLSchema, query: string, variables: Record<string, unknown>): RecordedMutation {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const operation = document.definitions[0] as OperationDefinitionNode;
  const selection = operation.selectionSet.selections[0] as FieldNode;
  const field = selection.name.value;
  const returnType = getNamedType(schema.getMutationType()!.getFields()[field].type);
  return {
    field,
    input: variables.input as Record<string, unknown>,
    selected: (selection.selectionSet?.selections ?? []).map((s) => (s as FieldNode).name.value),
    available: isObjectType(returnType) ? Object.keys(returnType.getFields()) : [],
  };
}

export async function startAppSyncStub(credentials: AppSyncStub['credentials']): Promise<AppSyncStub> {
  const schema = buildSchema(readSchemaSDL(process.cwd()));
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const port = (server.address() as { port: number }).port;
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== '/graphql' || !(await signatureValid(stub, req, body, port))) {
      stub.rejected += 1;
      return reply(403, { errors: [{ errorType: 'UnauthorizedException', message: 'The request signature we calculated does not match the signature you provided.' }] });
    }
    try {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const mutation = describeMutation(schema, query, variables);
      stub.mutations.push(mutation);
      reply(200, { data: { [mutation.field]: mutation.input } });
    } catch (error) {
      reply(400, { errors: [{ errorType: 'ValidationError', message: (error as Error).message }] });
    }
  });
  const stub: AppSyncStub = {
    url: '',
    mutations: [],
    rejected: 0,
    credentials,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  return stub;
}
