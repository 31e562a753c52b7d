// A spec's maxBatchSize (Lambda BatchInvoke) reaches the template as MaxBatchSize, on the unit
// resolver or the pipeline function that sets it and nowhere else: the same value the local
// runtime batches by.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ResolverSpec } from '../../infra/resolvers.ts';
import { SlotsyncStack } from '../../infra/stack.ts';
import { repoRoot } from './synth.ts';

const specs: ResolverSpec[] = [
  { typeName: 'Query', fieldName: 'getSlot', kind: 'UNIT', dataSource: 'generateSlots', entry: 'batched.ts', functions: [], maxBatchSize: 7 },
  { typeName: 'Query', fieldName: 'getProvider', kind: 'UNIT', dataSource: 'generateSlots', entry: 'unbatched.ts', functions: [], maxBatchSize: 0 },
  { typeName: 'Query', fieldName: 'getBooking', kind: 'UNIT', dataSource: 'table', entry: 'plain.ts', functions: [] },
  {
    typeName: 'Mutation',
    fieldName: 'createBooking',
    kind: 'PIPELINE',
    functions: [
      { name: 'Mutation_createBooking_validate', dataSource: 'NONE', entry: 'plain.ts' },
      { name: 'Mutation_createBooking_enqueue', dataSource: 'enqueueBooking', entry: 'batched.ts', maxBatchSize: 25 },
    ],
  },
];
const code = new Map(['batched.ts', 'unbatched.ts', 'plain.ts'].map((e) => [e, `// code of ${e}\n`]));

function synth(resolvers: ResolverSpec[]) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SlotsyncStack(app, 'ResolverBatchSize', { root: repoRoot, resolvers, resolverCode: code });
  return Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

describe('resolver maxBatchSize', () => {
  const resources = Object.values(synth(specs));
  const resolver = (field: string) => resources.find((r) => r.Type === 'AWS::AppSync::Resolver' && r.Properties.FieldName === field)!.Properties;
  const fn = (name: string) => resources.find((r) => r.Type === 'AWS::AppSync::FunctionConfiguration' && r.Properties.Name === name)!.Properties;

  it('sets MaxBatchSize on the unit resolvers that set it, 0 included', () => {
    expect(resolver('getSlot').MaxBatchSize).toBe(7);
    expect(resolver('getProvider').MaxBatchSize).toBe(0);
    expect(resolver('getBooking')).not.toHaveProperty('MaxBatchSize');
  });

  it('sets MaxBatchSize on the pipeline functions that set it, not on the pipeline', () => {
    expect(fn('Mutation_createBooking_enqueue').MaxBatchSize).toBe(25);
    expect(fn('Mutation_createBooking_validate')).not.toHaveProperty('MaxBatchSize');
    expect(resolver('createBooking')).not.toHaveProperty('MaxBatchSize');
  });

  it('refuses a maxBatchSize outside 0–2000', () => {
    expect(() => synth([{ ...specs[0], maxBatchSize: 2001 }])).toThrow('Query.getSlot: maxBatchSize is an integer from 0 to 2000, not 2001');
  });
});
