// GraphQL over HTTPS to AppSync with IAM auth: the request is SigV4-signed for service `appsync`
// with the function's credentials (the default provider chain: Lambda's environment in AWS, the
// local runtime's environment locally) and region (AWS_REGION).
import { Sha256 } from '@smithy/core/checksum';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

const REQUEST_TIMEOUT_MS = 10_000;

export interface GraphqlClient {
  execute(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export function signedGraphqlClient(url: string, region: string): GraphqlClient {
  const endpoint = new URL(url);
  const signer = new SignatureV4({ service: 'appsync', region, credentials: defaultProvider(), sha256: Sha256 });
  return {
    async execute(query, variables) {
      const body = JSON.stringify({ query, variables });
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port ? Number(endpoint.port) : undefined,
        path: endpoint.pathname,
        query: {},
        headers: { host: endpoint.host, 'content-type': 'application/json' },
        body,
      });
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let payload: { data?: Record<string, unknown> | null; errors?: Array<{ message?: string; errorType?: string }> };
      try {
        payload = JSON.parse(text);
      } catch {
        throw new Error(`GraphQL endpoint answered HTTP ${response.status} with a non-JSON body`);
      }
      if (!response.ok || (payload.errors && payload.errors.length > 0)) {
        const reasons = (payload.errors ?? []).map((e) => `${e.errorType ?? 'Error'}: ${e.message ?? ''}`).join('; ');
        throw new Error(`GraphQL endpoint answered HTTP ${response.status}${reasons ? ` with ${reasons}` : ''}`);
      }
      return payload.data ?? {};
    },
  };
}
