// Each grant alone gives its own actions and none of another's. Every function of today's wiring
// that touches the table holds both table grants, so the stack test would not notice 'table:read'
// granting writes, or 'table:write' granting reads: this test synthesizes WiredFunctions with a
// variant wiring (vi.mock of infra/wiring.ts, this file only) holding one grant per function.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Definition, GraphqlApi, SchemaFile } from 'aws-cdk-lib/aws-appsync';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WiredFunctions } from '../../infra/constructs/functions.ts';
import { WiredQueues } from '../../infra/constructs/queues.ts';
import type { FunctionName, FunctionWiring, Grant } from '../../infra/wiring.ts';
import { logicalId, newApp, repoRoot } from './synth.ts';

const variant = vi.hoisted(() => {
  const fn = (grants: Grant[]): FunctionWiring => ({
    entry: 'functions/enqueue-booking/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 128,
    concurrency: 1,
    environment: {},
    grants,
  });
  return { 'table-reader': fn(['table:read']), 'table-writer': fn(['table:write']), 'queue-sender': fn(['queue:bookings:send']) };
});
vi.mock('../../infra/wiring.ts', async (importOriginal) => ({ ...(await importOriginal<object>()), functions: variant }));

type Statement = { Action: string | string[]; Resource: unknown };

// What grantReadData and grantWriteData give (aws-cdk-lib 2.276). Both also give
// dynamodb:DescribeTable, table metadata and no item, and both name the '/index/*' resource too,
// which no write action can use: least privilege for a writer means no action that reads items.
const READS = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITES = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

let template: Template;
let wired: WiredFunctions;
let tableId: string;

beforeAll(() => {
  const stack = new Stack(newApp(), 'Grants');
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING } }],
  });
  const api = new GraphqlApi(stack, 'Api', { name: 'grants', definition: Definition.fromSchema(SchemaFile.fromAsset(join(repoRoot, 'schema/schema.graphql'))) });
  wired = new WiredFunctions(stack, 'Functions', {
    root: repoRoot,
    table,
    queues: new WiredQueues(stack, 'Queues'),
    api,
    publishFields: [],
    removalPolicy: RemovalPolicy.DESTROY,
  });
  tableId = logicalId(table);
  template = Template.fromStack(stack);
});

/** Every IAM statement attached to the role of one variant function. */
function statementsOf(name: keyof typeof variant): Statement[] {
  const roleId = logicalId(wired.get(name as string as FunctionName).role!);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((r) => (r.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (name: keyof typeof variant) => statementsOf(name).flatMap((st) => [st.Action].flat());
const dynamoActionsOf = (name: keyof typeof variant) => actionsOf(name).filter((a) => a.startsWith('dynamodb:'));

describe('grants alone', () => {
  it('builds exactly the variant functions (the wiring mock is in effect)', () => {
    expect([...wired.functions.keys()].sort()).toEqual(Object.keys(variant).sort());
  });

  it('each role touches its grant\'s service only, besides its own logs and X-Ray', () => {
    const services = (name: keyof typeof variant) => [...new Set(actionsOf(name).map((a) => a.split(':')[0]))].sort();
    expect(services('table-reader')).toEqual(['dynamodb', 'logs', 'xray']);
    expect(services('table-writer')).toEqual(['dynamodb', 'logs', 'xray']);
    expect(services('queue-sender')).toEqual(['logs', 'sqs', 'xray']);
  });

  it('table:read gives the read actions, on the table and its indexes, and no write action', () => {
    const actions = dynamoActionsOf('table-reader');
    expect(actions).toEqual(expect.arrayContaining(READS));
    for (const write of WRITES) expect(actions, write).not.toContain(write);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    const resources = statementsOf('table-reader')
      .filter((st) => [st.Action].flat().includes('dynamodb:GetItem'))
      .flatMap((st) => [st.Resource].flat());
    expect(resources).toContainEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
    expect(resources).toContainEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] });
  });

  it('table:write gives the write actions and no read of items', () => {
    const actions = dynamoActionsOf('table-writer');
    expect(actions).toEqual(expect.arrayContaining(WRITES));
    for (const read of READS) expect(actions, read).not.toContain(read);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('queue:bookings:send gives sqs:SendMessage and nothing on the table', () => {
    expect(actionsOf('queue-sender')).toContain('sqs:SendMessage');
    expect(dynamoActionsOf('queue-sender')).toEqual([]);
  });
});
