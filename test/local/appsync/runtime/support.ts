// Shared setup for the runtime tests: fixture resolvers under test/fixtures/resolvers, bundled by
// infra/bundle.ts exactly as the CDK bundles resolvers/, and invocations as the HTTP layer builds them.
import { fileURLToPath } from 'node:url';
import { bundleResolverCode } from '../../../../infra/bundle.ts';
import type { ResolverSpec } from '../../../../infra/resolvers.ts';
import type { ResolverInvocation } from '../../../../local/appsync/runtime/types.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const FIXTURES = 'test/fixtures/resolvers';

export const fixture = (file: string): string => `${FIXTURES}/${file}`;

export async function bundleFixtures(files: string[]): Promise<Map<string, string>> {
  const entries = files.map(fixture);
  const codes = await Promise.all(entries.map((entry) => bundleResolverCode(ROOT, entry)));
  return new Map(entries.map((entry, i) => [entry, codes[i]]));
}

export function unit(typeName: string, fieldName: string, file: string, dataSource = 'NONE'): ResolverSpec {
  return { typeName, fieldName, kind: 'UNIT', dataSource, entry: fixture(file), functions: [] };
}

export function pipeline(typeName: string, fieldName: string, resolver: string | undefined, functions: string[], dataSource = 'NONE'): ResolverSpec {
  return {
    typeName,
    fieldName,
    kind: 'PIPELINE',
    entry: resolver === undefined ? undefined : fixture(resolver),
    functions: functions.map((file, i) => ({ name: `${typeName}_${fieldName}_f${i + 1}`, dataSource, entry: fixture(file) })),
  };
}

export function invocation(typeName: string, fieldName: string, overrides: Partial<ResolverInvocation> = {}): ResolverInvocation {
  return {
    arguments: {},
    source: null,
    identity: null,
    authType: 'API Key Authorization',
    request: { headers: { 'content-type': 'application/json', 'x-api-key': 'local' }, domainName: null },
    info: {
      fieldName,
      parentTypeName: typeName,
      variables: {},
      selectionSetList: ['id'],
      selectionSetGraphQL: '{\n  id\n}',
    },
    ...overrides,
  };
}
