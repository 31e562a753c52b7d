// How the stack turns ResolverSpecs into AppSync resources, independent of which resolver files
// exist today: unit resolvers, pipelines in order, pass-through before/after code, missing code.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PIPELINE_PASS_THROUGH_CODE } from '../../infra/bundle.ts';
import type { ResolverSpec } from '../../infra/resolvers.ts';
import { SlotsyncStack } from '../../infra/stack.ts';
import { newApp, repoRoot } from './synth.ts';

const specs: ResolverSpec[] = [
  { typeName: 'Query', fieldName: 'getSlot', kind: 'UNIT', dataSource: 'table', entry: 'unit.ts', functions: [] },
  {
    typeName: 'Mutation',
    fieldName: 'createBooking',
    kind: 'PIPELINE',
    entry: 'before-after.ts',
    functions: [
      { name: 'Mutation_createBooking_validate', dataSource: 'NONE', entry: 'validate.ts' },
      { name: 'Mutation_createBooking_enqueue', dataSource: 'enqueueBooking', entry: 'enqueue.ts' },
    ],
  },
  {
    typeName: 'Query',
    fieldName: 'listSlots',
    kind: 'PIPELINE',
    entry: undefined,
    functions: [{ name: 'Query_listSlots_query', dataSource: 'table', entry: 'query.ts' }],
  },
];
const code = new Map(['unit.ts', 'before-after.ts', 'validate.ts', 'enqueue.ts', 'query.ts'].map((e) => [e, `// code of ${e}\n`]));

function synth(resolverCode: ReadonlyMap<string, string>) {
  const stack = new SlotsyncStack(newApp(), 'ResolverWiring', { root: repoRoot, resolvers: specs, resolverCode });
  return Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

describe('resolver wiring', () => {
  const resources = synth(code);
  const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const resolver = (field: string) => byType('AWS::AppSync::Resolver').find(([, r]) => r.Properties.FieldName === field)![1].Properties;
  const pipelineNames = (field: string) =>
    (resolver(field).PipelineConfig as { Functions: Array<{ 'Fn::GetAtt': [string, string] }> }).Functions.map(
      (f) => resources[f['Fn::GetAtt'][0]].Properties.Name,
    );

  it('creates a unit resolver on its data source with its code', () => {
    expect(resolver('getSlot')).toMatchObject({ Kind: 'UNIT', DataSourceName: 'table', Code: code.get('unit.ts') });
  });

  it('creates pipeline functions in order, each with its data source and code', () => {
    expect(pipelineNames('createBooking')).toEqual(['Mutation_createBooking_validate', 'Mutation_createBooking_enqueue']);
    const fns = byType('AWS::AppSync::FunctionConfiguration').map(([, r]) => r.Properties);
    expect(fns.find((f) => f.Name === 'Mutation_createBooking_enqueue')).toMatchObject({
      DataSourceName: 'enqueueBooking',
      Code: code.get('enqueue.ts'),
      Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
    });
    expect(resolver('createBooking')).toMatchObject({ Kind: 'PIPELINE', Code: code.get('before-after.ts') });
  });

  it('gives a pipeline without resolver.ts the pass-through before/after code', () => {
    expect(resolver('listSlots')).toMatchObject({ Kind: 'PIPELINE', Code: PIPELINE_PASS_THROUGH_CODE });
    expect(pipelineNames('listSlots')).toEqual(['Query_listSlots_query']);
  });

  it('refuses to build when an entry has no bundled code', () => {
    const partial = new Map(code);
    partial.delete('validate.ts');
    expect(() => synth(partial)).toThrow(/validate\.ts: no bundled code/);
  });
});
