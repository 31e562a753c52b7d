// Turns the ESM bundle infra/bundle.ts produces (the text the CDK deploys as `code`) into a
// function body the sandbox can instantiate afresh for every evaluation:
//   1. enforce AppSync's code-size limit on the text as deployed;
//   2. esbuild: ESM -> CommonJS, so `import ... from '@aws-appsync/utils'` becomes require() calls
//      the sandbox answers with its own objects (node:vm has no stable ESM linker); syntax errors
//      surface here;
//   3. reject what AppSync refuses at save time (syntax.ts), checked on the text as deployed, not
//      on the CommonJS text, whose esbuild helpers may use what resolver code may not (regular
//      expression literals, refused too, would also escape the budget: native backtracking);
//   4. instrument every loop body and function body with a budget tick, which is how an endless
//      loop is stopped without vm's `timeout` (that option starts a watchdog thread per call,
//      ~150 µs, far more than the whole evaluation costs).
// Compilation runs once per bundle; positions in runtime errors are mapped back to code.js.
import { SourceMap } from 'node:module';
import { transformSync } from 'esbuild';
import ts from 'typescript';
import { MAX_CODE_CHARS } from '../../../infra/bundle.ts';
import { findUnsupportedSyntax } from './syntax.ts';

/** Name of the per-evaluation budget check the instrumented code calls. */
export const TICK = '__slotsync_tick';
export const CODE_FILE = 'code.js';

const WRAPPER_HEAD = `(function (require, module, exports, ${TICK}, globalThis) {'use strict';\n`;
const WRAPPER_TAIL = '\n})';

export interface CodeLocation {
  /** 1-based, in the code as deployed. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Code AppSync would refuse to save ("The code contains one or more errors"). */
export class CodeLoadError extends Error {
  constructor(
    message: string,
    public readonly location?: CodeLocation,
  ) {
    super(message);
    this.name = 'CodeLoadError';
  }
}

export interface CompiledCode {
  /** Evaluates to `function (require, module, exports, tick, globalThis)` in the sandbox. */
  readonly wrapped: string;
  /** Maps a position in `wrapped` (as V8 reports it, 1-based) to the deployed code. */
  locate(line: number, column: number): CodeLocation | undefined;
}

interface Insertion {
  at: number;
  text: string;
  closing: boolean;
  seq: number;
}

export function compileResolverCode(code: string): CompiledCode {
  if (typeof code !== 'string' || code.length === 0) throw new CodeLoadError('the code is empty');
  if (code.length > MAX_CODE_CHARS) {
    throw new CodeLoadError(`the code is ${code.length} characters; AppSync allows at most ${MAX_CODE_CHARS}`);
  }
  // The bundle's inline source map points at the TypeScript sources; errors name code.js, as AppSync does.
  const source = code.replace(/\n\/\/# sourceMappingURL=data:[^\n]*\s*$/, '\n');
  let cjs: string;
  let map: string;
  try {
    const out = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'esnext',
      sourcemap: 'external',
      sourcefile: CODE_FILE,
      logLevel: 'silent',
    });
    // esbuild copies the exports into a fresh CommonJS namespace object (getters over getters) on
    // every instantiation; the sandbox only reads module.exports[handler], which the exports
    // object itself answers. Blanked to the same length, so positions (and the map) stay right.
    cjs = out.code.replace(/module\.exports = __toCommonJS\((\w+)\);/, (statement, name: string) =>
      `module.exports = ${name};`.padEnd(statement.length, ' '),
    );
    map = out.map;
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
    if (!first) throw err;
    const location = first.location ? { line: first.location.line, column: first.location.column + 1 } : undefined;
    throw new CodeLoadError(`${CODE_FILE}${location ? `:${location.line}:${location.column}` : ''}: ${first.text}`, location);
  }
  // After esbuild, so a syntax error is reported as such rather than as whatever it parses into.
  const unsupported = findUnsupportedSyntax(source);
  if (unsupported) {
    const { what, location } = unsupported;
    throw new CodeLoadError(`${CODE_FILE}:${location.line}:${location.column}: ${what} not supported by the APPSYNC_JS runtime`, location);
  }

  const sourceMap = new SourceMap(JSON.parse(map));
  const cjsLines = lineStarts(cjs);
  const toDeployed = (index: number): CodeLocation | undefined => {
    const { line, column } = positionOf(cjsLines, index);
    const entry = sourceMap.findEntry(line, column) as { originalLine?: number; originalColumn?: number };
    if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  };

  const insertions = instrument(cjs);
  const instrumented = applyInsertions(cjs, insertions);
  const instrumentedLines = lineStarts(instrumented);
  return {
    wrapped: WRAPPER_HEAD + instrumented + WRAPPER_TAIL,
    locate(line, column) {
      // line 1 of the script is the wrapper head.
      if (line < 2) return undefined;
      const start = instrumentedLines[line - 2];
      if (start === undefined) return undefined;
      return toDeployed(originalIndex(insertions, start + column - 1));
    },
  };
}

function instrument(cjs: string): Insertion[] {
  const sf = ts.createSourceFile(CODE_FILE, cjs, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const insertions: Insertion[] = [];
  const add = (at: number, text: string, closing = false) => insertions.push({ at, text, closing, seq: insertions.length });
  const tickStatement = (body: ts.Statement) => {
    if (ts.isBlock(body)) {
      add(body.getStart(sf) + 1, `${TICK}();`);
    } else {
      add(body.getStart(sf), `{${TICK}();`);
      add(body.end, '}', true);
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isIterationStatement(node, false)) tickStatement(node.statement);
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const body = node.body as ts.Node;
      if (ts.isBlock(body)) {
        add(body.getStart(sf) + 1, `${TICK}();`);
      } else {
        add(body.getStart(sf), `(${TICK}(), `);
        add(body.end, ')', true);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // At one position, closers go first and innermost first (they were added last); openers in order.
  return insertions.sort((a, b) => a.at - b.at || Number(b.closing) - Number(a.closing) || (a.closing ? b.seq - a.seq : a.seq - b.seq));
}

function applyInsertions(text: string, insertions: Insertion[]): string {
  let out = '';
  let last = 0;
  for (const ins of insertions) {
    out += text.slice(last, ins.at) + ins.text;
    last = ins.at;
  }
  return out + text.slice(last);
}

/** Index in the instrumented text -> index in the text before instrumentation. */
function originalIndex(insertions: Insertion[], index: number): number {
  let shift = 0;
  for (const ins of insertions) {
    const start = ins.at + shift;
    if (index < start) break;
    if (index < start + ins.text.length) return ins.at;
    shift += ins.text.length;
  }
  return index - shift;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line and column of an index. */
function positionOf(starts: number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: index - starts[lo] };
}
