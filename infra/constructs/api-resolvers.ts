// Data sources from wiring.dataSources and resolvers from discoverResolvers(): unit resolvers with
// their bundled code; pipelines as AppsyncFunctions in order plus before/after code.
import { type GraphqlApi, AppsyncFunction, BaseDataSource, Code, FunctionRuntime, Resolver } from 'aws-cdk-lib/aws-appsync';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { acknowledge, wildcardFinding } from './nag.ts';
import { Construct } from 'constructs';
import type { CfnElement } from 'aws-cdk-lib';
import { PIPELINE_PASS_THROUGH_CODE } from '../bundle.ts';
import { maxBatchSizeProblems, type ResolverSpec } from '../resolvers.ts';
import { dataSources as dataSourceWiring } from '../wiring.ts';
import type { WiredFunctions } from './functions.ts';
import { pascalCase } from './names.ts';

export const RESOLVER_RUNTIME = FunctionRuntime.JS_1_0_0;

export interface ApiResolversProps {
  api: GraphqlApi;
  table: TableV2;
  functions: WiredFunctions;
  resolvers: ResolverSpec[];
  /** Bundled code keyed by entry (bundleResolverSpecs). */
  code: ReadonlyMap<string, string>;
}

export class ApiResolvers extends Construct {
  readonly dataSources = new Map<string, BaseDataSource>();

  constructor(scope: Construct, id: string, props: ApiResolversProps) {
    super(scope, id);
    const { api } = props;
    for (const [name, wiring] of Object.entries(dataSourceWiring)) {
      const dsId = `${pascalCase(name)}DataSource`;
      const ds =
        wiring.kind === 'AMAZON_DYNAMODB'
          ? api.addDynamoDbDataSource(dsId, props.table, { name })
          : wiring.kind === 'AWS_LAMBDA'
            ? api.addLambdaDataSource(dsId, props.functions.get(wiring.function), { name })
            : api.addNoneDataSource(dsId, { name });
      this.dataSources.set(name, ds);
      if (wiring.kind === 'AMAZON_DYNAMODB') {
        acknowledge(ds, wildcardFinding(props.table.node.defaultChild as CfnElement, '/index/*'), 'Resolvers query the table\'s GSIs.');
      } else if (wiring.kind === 'AWS_LAMBDA') {
        const fn = props.functions.get(wiring.function).node.defaultChild as CfnElement;
        acknowledge(ds, wildcardFinding(fn, ':*'), 'AppSync\'s Lambda data source grant covers the function\'s versions and aliases.');
      }
    }

    const codeOf = (entry: string) => {
      const code = props.code.get(entry);
      if (code === undefined) throw new Error(`${entry}: no bundled code was passed to the stack`);
      return Code.fromInline(code);
    };
    const dataSource = (name: string | undefined, where: string) => {
      const ds = name === undefined ? undefined : this.dataSources.get(name);
      if (!ds) throw new Error(`${where}: unknown data source "${name}"`);
      return ds;
    };

    for (const spec of props.resolvers) {
      const base = `${spec.typeName}${pascalCase(spec.fieldName)}`;
      const where = `${spec.typeName}.${spec.fieldName}`;
      const problems = maxBatchSizeProblems(spec);
      if (problems.length) throw new Error(problems.join('; '));
      if (spec.kind === 'UNIT') {
        if (spec.entry === undefined) throw new Error(`${where}: a unit resolver needs code`);
        new Resolver(this, `${base}Resolver`, {
          api,
          typeName: spec.typeName,
          fieldName: spec.fieldName,
          dataSource: dataSource(spec.dataSource, where),
          runtime: RESOLVER_RUNTIME,
          code: codeOf(spec.entry),
          maxBatchSize: spec.maxBatchSize,
        });
        continue;
      }
      const pipeline = spec.functions.map(
        (fn) =>
          new AppsyncFunction(this, `${pascalCase(fn.name)}Function`, {
            api,
            name: fn.name,
            dataSource: dataSource(fn.dataSource, fn.entry),
            runtime: RESOLVER_RUNTIME,
            code: codeOf(fn.entry),
            maxBatchSize: fn.maxBatchSize,
          }),
      );
      new Resolver(this, `${base}Resolver`, {
        api,
        typeName: spec.typeName,
        fieldName: spec.fieldName,
        pipelineConfig: pipeline,
        runtime: RESOLVER_RUNTIME,
        code: spec.entry === undefined ? Code.fromInline(PIPELINE_PASS_THROUGH_CODE) : codeOf(spec.entry),
      });
    }
  }
}
