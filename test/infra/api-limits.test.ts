// The wiring's execution limits: within AppSync's ranges, and loose enough for what the project
// sends (every client operation) and what its tools send (graphql-js's introspection query, which
// GraphiQL and graphql-codegen use) while introspection is enabled.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, getIntrospectionQuery, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiLimitProblems, checkApiLimits, resolverInvocationLimit } from '../../infra/api-limits.ts';
import { api } from '../../infra/wiring.ts';
import { repoRoot } from './synth.ts';

/** The deepest field an operation selects, counted as AppSync counts (local/appsync/http/limits.ts). */
function depthOf(document: DocumentNode): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const deepest = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): number =>
    Math.max(
      0,
      ...(set?.selections ?? []).map((s) => {
        if (s.kind === Kind.FIELD) return 1 + deepest(s.selectionSet, seen);
        if (s.kind === Kind.INLINE_FRAGMENT) return deepest(s.selectionSet, seen);
        const fragment = fragments.get(s.name.value);
        return fragment && !seen.has(s.name.value) ? deepest(fragment.selectionSet, new Set([...seen, s.name.value])) : 0;
      }),
    );
  return Math.max(...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? deepest(d.selectionSet, new Set()) : 0)));
}

const operationsDir = join(repoRoot, 'client', 'operations');
const fragments = readFileSync(join(operationsDir, 'fragments.graphql'), 'utf8');
const operations = readdirSync(operationsDir).filter((f) => f.endsWith('.graphql') && f !== 'fragments.graphql');

describe("the wiring's API limits", () => {
  it('are within the ranges CloudFormation accepts', () => {
    expect(apiLimitProblems(api.limits)).toEqual([]);
  });

  it.each(operations)('%s fits the depth limit', (file) => {
    const depth = depthOf(parse(`${readFileSync(join(operationsDir, file), 'utf8')}\n${fragments}`));
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThanOrEqual(api.limits.queryDepthLimit);
  });

  it("graphql-js's introspection query fits the depth limit while introspection is enabled", () => {
    expect(api.limits.introspection).toBe('ENABLED');
    const query = parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expect(depthOf(query)).toBeLessThanOrEqual(api.limits.queryDepthLimit);
  });
});

describe('checkApiLimits', () => {
  const ok = { queryDepthLimit: 10, resolverCountLimit: 100, introspection: 'ENABLED' } as const;

  it.each([
    ['no depth limit and the default resolver quota', { ...ok, queryDepthLimit: 0, resolverCountLimit: 0 }],
    ['the largest values', { ...ok, queryDepthLimit: 75, resolverCountLimit: 10_000, introspection: 'DISABLED' as const }],
    ['the smallest limits', { ...ok, queryDepthLimit: 1, resolverCountLimit: 1 }],
  ])('accepts %s', (_what, limits) => {
    expect(() => checkApiLimits(limits)).not.toThrow();
  });

  it.each([
    ['a depth over 75', { ...ok, queryDepthLimit: 76 }, /queryDepthLimit/],
    ['a negative depth', { ...ok, queryDepthLimit: -1 }, /queryDepthLimit/],
    ['a fractional depth', { ...ok, queryDepthLimit: 2.5 }, /queryDepthLimit/],
    ['a resolver count over 10,000', { ...ok, resolverCountLimit: 10_001 }, /resolverCountLimit/],
    ['a negative resolver count', { ...ok, resolverCountLimit: -5 }, /resolverCountLimit/],
    ['a fractional resolver count', { ...ok, resolverCountLimit: 2.5 }, /resolverCountLimit/],
    ['an unknown introspection setting', { ...ok, introspection: 'OFF' as never }, /introspection must be ENABLED or DISABLED/],
  ])('refuses %s', (_what, limits, message) => {
    expect(() => checkApiLimits(limits)).toThrow(message);
  });

  it('a resolverCountLimit of 0 stands for the 10,000 quota', () => {
    expect(resolverInvocationLimit({ ...ok, resolverCountLimit: 0 })).toBe(10_000);
    expect(resolverInvocationLimit(ok)).toBe(100);
  });
});
