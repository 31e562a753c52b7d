// The host half of the APPSYNC_JS sandbox: one node:vm context, locked once (bootstrap.ts), shared
// by every evaluation. Isolation between evaluations comes from instantiating the resolver module
// afresh each time inside a frozen realm, not from a context per request (a context costs ~1 ms).
// Evaluations are synchronous, so the host objects behind `util`/`runtime`/`extensions` are
// swapped per evaluation through `current`.
import vm from 'node:vm';
import { createDynamoDbModule } from '../util/dynamodb-module.ts';
import { createExtensions, createRuntime, createUtil } from '../util/index.ts';
import { BOOTSTRAP_SOURCE, RUN_NO_HANDLER, RUN_OK, RUN_SIGNAL, RUN_THREW, RUN_TIMEOUT } from './bootstrap.ts';
import { CODE_FILE, type CodeLocation, type CompiledCode } from './compile.ts';
import { javaPatternJson } from './java-replace.ts';
import { newEvaluationState } from './state.ts';

export type RootName = 'util' | 'runtime' | 'extensions' | 'dynamodb';

/** What one evaluation lends the sandbox. */
export interface HostBindings {
  /** The host object behind a module root; called lazily, at most once per root per evaluation. */
  root(name: RootName): Record<string, unknown>;
  log(level: 'INFO' | 'ERROR', line: string): void;
}

/** A compiled bundle, instantiated in the sandbox as a module factory. */
export interface LoadedCode {
  readonly compiled: CompiledCode;
  readonly factory: unknown;
}

export type RunResult =
  | { status: 'ok'; resultJson: string | undefined; stashJson: string | undefined }
  | { status: 'threw'; message: string; location: CodeLocation | undefined; stashJson: string | undefined }
  | { status: 'signal'; signal: unknown; stashJson: string | undefined }
  | { status: 'timeout' }
  | { status: 'noHandler' };

type SandboxRun = (factory: unknown, handler: string, ctxJson: string, budgetMs: number) => unknown[];

interface Current {
  bindings: HostBindings;
  roots: Partial<Record<RootName, Record<string, unknown>>>;
  signal: unknown;
  signalled: boolean;
}

const MAX_SHAPE_DEPTH = 6;
const FRAME = new RegExp(`${CODE_FILE.replace('.', '\\.')}:(\\d+):(\\d+)`);

export class Sandbox {
  private readonly context: vm.Context;
  private readonly paths: Array<[RootName, ...string[]]> = [];
  private readonly sandboxRun: SandboxRun;
  private current: Current | undefined;

  constructor() {
    this.context = vm.createContext(
      {},
      { name: 'APPSYNC_JS', codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' },
    );
    const shapes = JSON.stringify(this.describeRoots());
    const bootstrap = new vm.Script(BOOTSTRAP_SOURCE, { filename: 'slotsync-appsync-runtime.js' }).runInContext(this.context);
    this.sandboxRun = bootstrap(
      (index: number, argsJson: string) => this.hostCall(index, argsJson),
      (level: 'INFO' | 'ERROR', line: string) => this.current?.bindings.log(level, String(line)),
      shapes,
      (pattern: string) => javaPatternJson(String(pattern)),
    ) as SandboxRun;
  }

  load(compiled: CompiledCode): LoadedCode {
    const factory: unknown = new vm.Script(compiled.wrapped, { filename: CODE_FILE }).runInContext(this.context);
    return { compiled, factory };
  }

  /** Instantiates the module and calls one handler with the context given as JSON text. */
  run(code: LoadedCode, handler: 'request' | 'response', ctxJson: string, budgetMs: number, bindings: HostBindings): RunResult {
    if (this.current) throw new Error('the APPSYNC_JS sandbox is already evaluating');
    const current: Current = { bindings, roots: {}, signal: undefined, signalled: false };
    this.current = current;
    let out: unknown[];
    try {
      out = this.sandboxRun(code.factory, handler, ctxJson, budgetMs);
    } finally {
      this.current = undefined;
    }
    const [status, payload, stashJson, stack] = [out[0], out[1], out[2], out[3]] as [number, unknown, string | undefined, string];
    // A host signal wins over whatever the code did after it (it cannot catch util.error in AppSync).
    if (current.signalled) return { status: 'signal', signal: current.signal, stashJson };
    switch (status) {
      case RUN_OK:
        return { status: 'ok', resultJson: payload as string | undefined, stashJson };
      case RUN_THREW:
        return { status: 'threw', message: String(payload), location: this.locate(code, stack), stashJson };
      case RUN_SIGNAL:
        return { status: 'signal', signal: current.signal, stashJson };
      case RUN_TIMEOUT:
        return { status: 'timeout' };
      case RUN_NO_HANDLER:
        return { status: 'noHandler' };
      default:
        throw new Error(`unexpected sandbox status ${String(status)}`);
    }
  }

  private locate(code: LoadedCode, stack: string): CodeLocation | undefined {
    const m = FRAME.exec(stack);
    return m ? code.compiled.locate(Number(m[1]), Number(m[2])) : undefined;
  }

  /** Called from the sandbox with primitives only; answers with JSON text, undefined, or false (signal). */
  private hostCall(index: number, argsJson: string): string | undefined | false {
    const current = this.current;
    const path = this.paths[index];
    if (!current || !path) return false;
    try {
      const [rootName, ...keys] = path;
      let target: unknown = (current.roots[rootName] ??= current.bindings.root(rootName));
      let self: unknown;
      for (const key of keys) {
        self = target;
        target = (target as Record<string, unknown>)[key];
      }
      if (typeof target !== 'function') throw new TypeError(`${path.join('.')} is not a function`);
      const args = (JSON.parse(argsJson) as Array<0 | [unknown]>).map((a) => (a === 0 ? undefined : a[0]));
      const result: unknown = Reflect.apply(target, self, args);
      return result === undefined ? undefined : JSON.stringify(result);
    } catch (err) {
      current.signal = err;
      current.signalled = true;
      return false;
    }
  }

  /** The shape of the objects resolver code imports, taken from one throwaway instance of each. */
  private describeRoots(): Record<RootName, unknown> {
    const state = newEvaluationState('request', 'Query');
    const samples: Record<RootName, Record<string, unknown>> = {
      util: createUtil(state, { authType: 'API Key Authorization' }),
      runtime: createRuntime(state),
      extensions: createExtensions(state),
      dynamodb: createDynamoDbModule(),
    };
    const describe = (value: unknown, path: [RootName, ...string[]]): unknown => {
      if (typeof value === 'function') {
        this.paths.push(path);
        return { $fn: this.paths.length - 1 };
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && path.length <= MAX_SHAPE_DEPTH) {
        return Object.fromEntries(Object.keys(value).map((k) => [k, describe((value as Record<string, unknown>)[k], [...path, k])]));
      }
      return { $value: value ?? null };
    };
    return {
      util: describe(samples.util, ['util']),
      runtime: describe(samples.runtime, ['runtime']),
      extensions: describe(samples.extensions, ['extensions']),
      dynamodb: describe(samples.dynamodb, ['dynamodb']),
    };
  }
}
