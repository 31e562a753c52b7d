// Resolvers declare themselves by file name (the aws-appsync-resolver-samples convention):
//   resolvers/Query.getSlot.[table].ts          unit resolver for Query.getSlot on data source `table`
//   resolvers/Mutation.createBooking/           pipeline resolver for Mutation.createBooking
//     resolver.ts                               optional before/after handlers (default: pass-through)
//     validate.1.[NONE].ts                      pipeline functions, run in number order
//     holdSlot.2.[table].ts
// The CDK stack and the local server both call discoverResolvers(); a file that names a field the
// schema lacks, or a data source the wiring lacks, fails here, at build time, in both.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSchema, type GraphQLSchema, isObjectType } from 'graphql';
import { dataSources } from './wiring.ts';
import { readSchemaSDL } from './schema.ts';

export interface FunctionSpec {
  /** Unique across the API: `<Type>_<field>_<name>`. */
  name: string;
  dataSource: string;
  /** Path relative to the repository root. */
  entry: string;
  /** BatchInvoke: payloads per Lambda invocation (0–2000); unset, AppSync sends up to 5. */
  maxBatchSize?: number;
}

export interface ResolverSpec {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  /** UNIT: the data source. */
  dataSource?: string;
  /** UNIT: the resolver code; PIPELINE: the before/after code, or undefined for pass-through. */
  entry?: string;
  /** PIPELINE: functions in execution order. */
  functions: FunctionSpec[];
  /** UNIT: BatchInvoke payloads per Lambda invocation (0–2000); pipelines set it per function. */
  maxBatchSize?: number;
}

const UNIT_FILE = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\.\[([A-Za-z0-9_-]+)\]\.ts$/;
const PIPELINE_DIR = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const FUNCTION_FILE = /^([A-Za-z_][A-Za-z0-9_]*)\.(\d+)\.\[([A-Za-z0-9_-]+)\]\.ts$/;
export const MAX_PIPELINE_FUNCTIONS = 10;
/** CloudFormation's range for MaxBatchSize (AWS::AppSync::Resolver and FunctionConfiguration). */
export const MAX_BATCH_SIZE = 2000;

/**
 * What is wrong with a spec's maxBatchSize settings. Both targets check it (the stack and the local
 * runner), so a value neither could deploy never runs locally.
 */
export function maxBatchSizeProblems(spec: ResolverSpec): string[] {
  const where = `${spec.typeName}.${spec.fieldName}`;
  const problems: string[] = [];
  const check = (value: number | undefined, at: string) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= MAX_BATCH_SIZE)) {
      problems.push(`${at}: maxBatchSize is an integer from 0 to ${MAX_BATCH_SIZE}, not ${value}`);
    }
  };
  // A pipeline resolver calls no data source itself: a batch size there would silently do nothing.
  if (spec.kind === 'PIPELINE' && spec.maxBatchSize !== undefined) problems.push(`${where}: a pipeline sets maxBatchSize on its functions`);
  else check(spec.maxBatchSize, where);
  for (const fn of spec.functions) check(fn.maxBatchSize, `${where} (${fn.name})`);
  return problems;
}

export function discoverResolvers(root: string, schema: GraphQLSchema = buildSchema(readSchemaSDL(root))): ResolverSpec[] {
  const dir = join(root, 'resolvers');
  const specs: ResolverSpec[] = [];
  const problems: string[] = [];
  const rel = (p: string) => relative(root, p);

  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'lib' || name.endsWith('.d.ts')) continue;
    if (statSync(path).isDirectory()) {
      const m = PIPELINE_DIR.exec(name);
      if (!m) {
        problems.push(`${rel(path)}: a pipeline folder is named <Type>.<field>`);
        continue;
      }
      const fns: Array<FunctionSpec & { order: number }> = [];
      let entry: string | undefined;
      for (const file of readdirSync(path).sort()) {
        if (file === 'resolver.ts') {
          entry = rel(join(path, file));
          continue;
        }
        const f = FUNCTION_FILE.exec(file);
        if (!f) {
          problems.push(`${rel(join(path, file))}: a pipeline function is named <name>.<order>.[<dataSource>].ts`);
          continue;
        }
        fns.push({ name: `${m[1]}_${m[2]}_${f[1]}`, order: Number(f[2]), dataSource: f[3], entry: rel(join(path, file)) });
      }
      fns.sort((a, b) => a.order - b.order);
      const orders = fns.map((f) => f.order);
      if (new Set(orders).size !== orders.length) problems.push(`${rel(path)}: two functions share an order number`);
      if (fns.length === 0) problems.push(`${rel(path)}: a pipeline needs at least one function`);
      if (fns.length > MAX_PIPELINE_FUNCTIONS) problems.push(`${rel(path)}: AppSync allows at most ${MAX_PIPELINE_FUNCTIONS} functions per pipeline`);
      specs.push({
        typeName: m[1],
        fieldName: m[2],
        kind: 'PIPELINE',
        entry,
        functions: fns.map(({ order: _order, ...fn }) => fn),
      });
      continue;
    }
    const m = UNIT_FILE.exec(name);
    if (!m) {
      if (name.endsWith('.ts')) problems.push(`${rel(path)}: a resolver is named <Type>.<field>.[<dataSource>].ts`);
      continue;
    }
    specs.push({ typeName: m[1], fieldName: m[2], kind: 'UNIT', dataSource: m[3], entry: rel(path), functions: [] });
  }

  const seen = new Set<string>();
  for (const spec of specs) {
    const key = `${spec.typeName}.${spec.fieldName}`;
    if (seen.has(key)) problems.push(`${key}: declared twice`);
    seen.add(key);
    const type = schema.getType(spec.typeName);
    if (!type || !isObjectType(type) || !type.getFields()[spec.fieldName]) {
      problems.push(`${key}: the schema has no such field`);
    }
    for (const ds of [spec.dataSource, ...spec.functions.map((f) => f.dataSource)]) {
      if (ds !== undefined && !dataSources[ds]) problems.push(`${key}: unknown data source "${ds}" (infra/wiring.ts)`);
    }
    problems.push(...maxBatchSizeProblems(spec));
  }
  if (problems.length) throw new Error(`resolver wiring is invalid:\n  ${problems.join('\n  ')}`);
  return specs;
}
