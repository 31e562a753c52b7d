// The resolver executor: unit resolvers (request -> data source -> response) and pipelines
// (resolver request -> functions -> resolver response), with AppSync's earlyReturn, util.error and
// util.appendError semantics, over the bundles the CDK deploys, within the request's deadline.
import { bundleResolverSpecs, PIPELINE_PASS_THROUGH_CODE } from '../../../infra/bundle.ts';
import { MAX_PIPELINE_FUNCTIONS, maxBatchSizeProblems, type ResolverSpec } from '../../../infra/resolvers.ts';
import type { DataSource, DataSourceCaller, DataSourceOutcome } from '../datasources/types.ts';
import { CodeLoadError, compileResolverCode } from './compile.ts';
import { contextBase, contextJson, type HandlerContext } from './context.ts';
import { executionTimeoutError, internalFailure } from './errors.ts';
import { evaluateHandler, type EvaluateOptions, type HandlerKind, type HandlerOutcome } from './evaluate.ts';
import { Sandbox, type LoadedCode } from './sandbox.ts';
import { newRequestScope, type AppSyncErrorEntry, type EvaluationState, type RequestScope } from './state.ts';
import type { ResolverInvocation, ResolverOutcome, ResolverRunner } from './types.ts';

/** Per-handler budget. AppSync documents only the 30 s request timeout; see errors.ts. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 1000;
/** setTimeout's largest delay; a longer deadline is no deadline in practice. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ResolverRunnerOptions {
  /** Repository root, for messages about missing bundles. */
  root: string;
  specs: ResolverSpec[];
  /** Bundled code by entry (see bundleAll). */
  code: Map<string, string>;
  dataSources: Record<string, DataSource>;
  /** ctx.env: the API's environment variables. */
  env: Record<string, string>;
  timeoutMs?: number;
  /** console.log / console.error lines from resolver code. */
  onLog?: (line: string, field: { typeName: string; fieldName: string }) => void;
}

interface Step {
  code: LoadedCode;
  dataSource: DataSource;
  /** What the data source groups calls by, with the request (DataSourceCaller). */
  resolver: string;
  maxBatchSize?: number;
}

type Plan =
  | { kind: 'UNIT'; step: Step }
  | { kind: 'PIPELINE'; code: LoadedCode; functions: Step[] };

/** Bundles every resolver and function entry once, as the CDK stack does. */
export async function bundleAll(root: string, specs: ResolverSpec[]): Promise<Map<string, string>> {
  return bundleResolverSpecs(root, specs);
}

export function createResolverRunner(options: ResolverRunnerOptions): ResolverRunner {
  const sandbox = new Sandbox();
  const budgetMs = options.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) throw new Error(`timeoutMs must be a positive number, not ${budgetMs}`);
  const env = Object.freeze({ ...options.env });
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') throw new Error(`env ${name}: ctx.env values are strings`);
  }

  const loaded = new Map<string, LoadedCode>();
  const load = (entry: string): LoadedCode => {
    const cached = loaded.get(entry);
    if (cached) return cached;
    const text = options.code.get(entry);
    if (text === undefined) throw new Error(`${entry}: no bundled code (bundle it with bundleAll(${JSON.stringify(options.root)}, specs))`);
    try {
      const code = sandbox.load(compileResolverCode(text));
      loaded.set(entry, code);
      return code;
    } catch (err) {
      if (err instanceof CodeLoadError) throw new CodeLoadError(`${entry}: ${err.message}`, err.location);
      throw err;
    }
  };
  const dataSource = (name: string | undefined, where: string): DataSource => {
    const ds = name === undefined ? undefined : options.dataSources[name];
    if (!ds) throw new Error(`${where}: no data source "${String(name)}" was given to the resolver runner`);
    return ds;
  };

  const passThrough = sandbox.load(compileResolverCode(PIPELINE_PASS_THROUGH_CODE));
  const plans = new Map<string, Plan>();
  for (const spec of options.specs) {
    const key = `${spec.typeName}.${spec.fieldName}`;
    if (plans.has(key)) throw new Error(`${key}: declared twice`);
    const problems = maxBatchSizeProblems(spec);
    if (problems.length) throw new Error(problems.join('; '));
    if (spec.kind === 'UNIT') {
      if (!spec.entry) throw new Error(`${key}: a unit resolver needs code`);
      plans.set(key, {
        kind: 'UNIT',
        step: { code: load(spec.entry), dataSource: dataSource(spec.dataSource, key), resolver: key, maxBatchSize: spec.maxBatchSize },
      });
      continue;
    }
    if (spec.functions.length === 0 || spec.functions.length > MAX_PIPELINE_FUNCTIONS) {
      throw new Error(`${key}: a pipeline has 1 to ${MAX_PIPELINE_FUNCTIONS} functions, not ${spec.functions.length}`);
    }
    plans.set(key, {
      kind: 'PIPELINE',
      code: spec.entry ? load(spec.entry) : passThrough,
      functions: spec.functions.map((f) => ({
        code: load(f.entry),
        dataSource: dataSource(f.dataSource, f.name),
        resolver: `${key}/${f.name}`,
        maxBatchSize: f.maxBatchSize,
      })),
    });
  }

  return {
    has: (typeName, fieldName) => plans.has(`${typeName}.${fieldName}`),
    async run(typeName, fieldName, invocation, request = newRequestScope()) {
      const plan = plans.get(`${typeName}.${fieldName}`);
      if (!plan) throw new Error(`${typeName}.${fieldName} has no resolver`);
      const run = new ResolverRun(sandbox, invocation, request, contextBase(invocation, env), {
        authType: invocation.authType,
        parentTypeName: typeName,
        fieldName,
        budgetMs,
        request,
      }, options.onLog ? (line) => options.onLog?.(line, { typeName, fieldName }) : undefined);
      return plan.kind === 'UNIT' ? run.unit(plan.step) : run.pipeline(plan.code, plan.functions);
    },
  };
}

function parsed(json: string | undefined): unknown {
  return json === undefined ? undefined : JSON.parse(json);
}

function valueOf(outcome: Exclude<HandlerOutcome, { kind: 'error' }>): unknown {
  return outcome.kind === 'value' ? parsed(outcome.json) : outcome.value;
}

/** What a step hands the next as ctx.prev.result: its value, or null when it had none. */
function jsonOf(outcome: Exclude<HandlerOutcome, { kind: 'error' }>): string {
  if (outcome.kind === 'value') return outcome.json ?? 'null';
  return JSON.stringify(outcome.value ?? null);
}

/** One resolution of one field: the stash, the errors and the extensions output accumulate here. */
class ResolverRun {
  private stashJson = '{}';
  private readonly errors: AppSyncErrorEntry[] = [];
  private readonly extras: Omit<ResolverOutcome, 'data' | 'errors'> = { invalidations: [], responseHeaders: {} };

  constructor(
    private readonly sandbox: Sandbox,
    private readonly invocation: ResolverInvocation,
    private readonly request: RequestScope,
    private readonly base: string,
    private readonly options: EvaluateOptions,
    private readonly onLog: ((line: string) => void) | undefined,
  ) {}

  async unit(step: Step): Promise<ResolverOutcome> {
    const request = this.evaluate(step.code, 'request', {});
    if (request.kind === 'error') return this.fail(request.entry);
    // A unit resolver's early return skips the data source and the response handler.
    if (request.kind === 'earlyReturn') return this.done(request.value);
    const called = await this.call(step, parsed(request.json));
    if ('failure' in called) return this.fail(called.failure);
    const response = this.evaluate(step.code, 'response', { result: called.result ?? null, error: called.error });
    if (response.kind === 'error') return this.fail(response.entry);
    return this.done(valueOf(response));
  }

  async pipeline(code: LoadedCode, functions: Step[]): Promise<ResolverOutcome> {
    const before = this.evaluate(code, 'request', {});
    if (before.kind === 'error') return this.fail(before.entry);
    // Results travel from step to step as JSON text, as they do into each handler's ctx.
    let prevJson = jsonOf(before);
    // earlyReturn in the resolver's request skips every function unless skipTo is NEXT.
    const skipAll = before.kind === 'earlyReturn' && before.skipTo !== 'NEXT';
    if (!skipAll) {
      for (const fn of functions) {
        const request = this.evaluate(fn.code, 'request', { prevJson });
        if (request.kind === 'error') return this.fail(request.entry);
        if (request.kind === 'earlyReturn') {
          // Skips this function's data source and response; END also skips the remaining functions.
          prevJson = jsonOf(request);
          if (request.skipTo === 'END') break;
          continue;
        }
        const called = await this.call(fn, parsed(request.json));
        if ('failure' in called) return this.fail(called.failure);
        const response = this.evaluate(fn.code, 'response', { prevJson, result: called.result ?? null, error: called.error });
        if (response.kind === 'error') return this.fail(response.entry);
        prevJson = jsonOf(response);
        if (response.kind === 'earlyReturn' && response.skipTo === 'END') break;
      }
    }
    const after = this.evaluate(code, 'response', { prevJson });
    if (after.kind === 'error') return this.fail(after.entry);
    return this.done(valueOf(after));
  }

  private evaluate(code: LoadedCode, handler: HandlerKind, ctx: Omit<HandlerContext, 'stashJson'>): HandlerOutcome {
    const evaluation = evaluateHandler(this.sandbox, code, handler, contextJson(this.base, { ...ctx, stashJson: this.stashJson }), this.options);
    // A handler that replaced ctx.stash with something other than an object or array leaves it as it was.
    const stash = evaluation.stashJson;
    if (stash !== undefined && (stash.startsWith('{') || stash.startsWith('['))) this.stashJson = stash;
    this.absorb(evaluation.state);
    return evaluation.outcome;
  }

  /** A data source call races the request's deadline; one still running then is left to finish unseen. */
  private async call(step: Step, request: unknown): Promise<DataSourceOutcome | { failure: AppSyncErrorEntry }> {
    const remainingMs = this.request.deadline - performance.now();
    if (remainingMs <= 0) return { failure: executionTimeoutError() };
    if (remainingMs > MAX_TIMER_MS) return this.invoke(step, request);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<{ failure: AppSyncErrorEntry }>((resolve) => {
      timer = setTimeout(() => resolve({ failure: executionTimeoutError() }), remainingMs);
    });
    try {
      return await Promise.race([this.invoke(step, request), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async invoke(step: Step, request: unknown): Promise<DataSourceOutcome | { failure: AppSyncErrorEntry }> {
    const caller: DataSourceCaller = { request: this.request, resolver: step.resolver, maxBatchSize: step.maxBatchSize };
    try {
      return await step.dataSource.invoke(request ?? null, this.invocation, caller);
    } catch (err) {
      return { failure: internalFailure(err instanceof Error ? err.message : String(err)) };
    }
  }

  private absorb(state: EvaluationState): void {
    this.errors.push(...state.errors);
    if (this.onLog) for (const line of state.logs) this.onLog(line);
    if (state.subscriptionFilter) this.extras.subscriptionFilter = state.subscriptionFilter;
    if (state.subscriptionInvalidationFilter) this.extras.subscriptionInvalidationFilter = state.subscriptionInvalidationFilter;
    this.extras.invalidations.push(...state.invalidations);
    Object.assign(this.extras.responseHeaders, state.responseHeaders);
  }

  /** util.error, a runtime fault or a timeout: the field is null, the error is reported. */
  private fail(entry: AppSyncErrorEntry): ResolverOutcome {
    return { data: null, errors: [...this.errors, entry], ...this.extras };
  }

  private done(value: unknown): ResolverOutcome {
    return { data: value ?? null, errors: this.errors, ...this.extras };
  }
}
