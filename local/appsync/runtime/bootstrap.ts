// The sandbox-realm half of the runtime, as source text run once per sandbox. It builds the
// objects resolver code imports, the per-evaluation runner and the budget tick, then locks the
// realm: every intrinsic frozen, every global read-only, `globalThis` hidden (a vm global cannot be
// frozen, so code must never get hold of it). Only primitives cross the realm boundary: JSON text
// in both directions, so host objects (and the host's Function constructor) never reach resolver
// code, and resolver objects never reach host code.
//
// Runner results are arrays of primitives: [status, payload, stashJson, stack].
import { JAVA_REPLACE_SOURCE } from './java-replace.ts';

export const RUN_OK = 0;
export const RUN_THREW = 1;
export const RUN_SIGNAL = 2;
export const RUN_TIMEOUT = 3;
export const RUN_NO_HANDLER = 4;

export const BOOTSTRAP_SOURCE = `(function (hostCall, hostLog, shapeJson, javaPatternJson) {
  'use strict';
  const G = globalThis;
  const { freeze, keys, hasOwn, getPrototypeOf, defineProperty } = Object;
  const { ownKeys, getOwnPropertyDescriptor } = Reflect;
  const { parse, stringify } = JSON;
  const now = Date.now;
  const StringOf = String;

  // Thrown into resolver code when host code signalled (util.error, earlyReturn) or the budget ran
  // out; the host knows which from its own records, so catching it changes nothing.
  const ABORT = freeze(new Error('evaluation stopped'));

  let deadline = 0;
  let steps = 0;
  let expired = false;
  let signalled = false;

  function tick() {
    steps += 1;
    if ((steps & 1023) === 0 && now() > deadline) expired = true;
    if (expired) throw ABORT;
  }

  function callHost(index, args) {
    const encoded = [];
    for (const arg of args) encoded.push(arg === undefined ? 0 : [arg]);
    const out = hostCall(index, stringify(encoded));
    if (out === false) {
      signalled = true;
      throw ABORT;
    }
    return out === undefined ? undefined : parse(out);
  }

  function build(shape) {
    if (hasOwn(shape, '$fn')) {
      const index = shape.$fn;
      return (...args) => callHost(index, args);
    }
    if (hasOwn(shape, '$value')) return shape.$value;
    const out = {};
    for (const key of keys(shape)) out[key] = build(shape[key]);
    return out;
  }

  const shapes = parse(shapeJson);
  const util = build(shapes.util);
  const runtime = build(shapes.runtime);
  const extensions = build(shapes.extensions);
  // A module's members live on the prototype of the object require() answers: the ESM-to-CJS
  // interop of the compiled code (esbuild's __toESM) copies a module's own properties into a new
  // namespace object on every instantiation, but keeps its prototype, so nothing is copied.
  function moduleOf(members) {
    return Object.create(freeze({ __esModule: true, ...members }));
  }
  const modules = {
    '@aws-appsync/utils': moduleOf({ util, runtime, extensions }),
    '@aws-appsync/utils/dynamodb': moduleOf(build(shapes.dynamodb)),
  };
  function requireModule(name) {
    if (!hasOwn(modules, name)) throw new Error('Cannot find module ' + StringOf(name));
    return modules[name];
  }

  function text(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    try {
      const json = stringify(value);
      return json === undefined ? StringOf(value) : json;
    } catch (err) {
      return StringOf(value);
    }
  }
  function logger(level) {
    return (...args) => {
      const parts = [];
      for (const arg of args) parts.push(text(arg));
      hostLog(level, parts.join(' '));
    };
  }
  const console = { log: logger('INFO'), error: logger('ERROR') };

  function encode(value) {
    return value === undefined ? undefined : stringify(value);
  }
  function describe(err) {
    try {
      if (err !== null && typeof err === 'object' && typeof err.message === 'string') {
        const name = typeof err.name === 'string' ? err.name : 'Error';
        return [name + ': ' + err.message, typeof err.stack === 'string' ? err.stack : ''];
      }
      return ['Error: ' + text(err), ''];
    } catch (inner) {
      return ['Runtime Error', ''];
    }
  }
  function stashJson(stash) {
    try {
      return stash === undefined ? undefined : stringify(stash);
    } catch (err) {
      return undefined;
    }
  }
  function finish(status, payload, stash, stack) {
    if (expired) return [${RUN_TIMEOUT}, undefined, undefined, ''];
    if (signalled) return [${RUN_SIGNAL}, undefined, stashJson(stash), ''];
    return [status, payload, stashJson(stash), stack];
  }

  function run(factory, handler, ctxJson, budgetMs) {
    deadline = now() + budgetMs;
    steps = 0;
    expired = false;
    signalled = false;
    let stash;
    try {
      const module = { exports: {} };
      factory(requireModule, module, module.exports, tick, undefined);
      const fn = module.exports[handler];
      if (typeof fn !== 'function') return finish(${RUN_NO_HANDLER}, undefined, undefined, '');
      const ctx = parse(ctxJson);
      if (ctx !== null && typeof ctx === 'object') {
        if (ctx.env !== null && typeof ctx.env === 'object') freeze(ctx.env);
        if (ctx.arguments !== undefined) ctx.args = ctx.arguments;
        stash = ctx.stash;
      }
      const result = fn(ctx);
      return finish(${RUN_OK}, encode(result), stash, '');
    } catch (err) {
      const [message, stack] = describe(err);
      return finish(${RUN_THREW}, message, stash, stack);
    }
  }

  // Lock the realm. APPSYNC_JS has no promises or async; without Promise and friends nothing can
  // schedule code that would run after the budget is gone. RegExp is not in APPSYNC_JS either.
  const removed = ['Promise', 'WebAssembly', 'Atomics', 'SharedArrayBuffer', 'FinalizationRegistry', 'WeakRef', 'RegExp', 'eval'];
  const globals = { util, runtime, extensions, console };
  for (const name of keys(globals)) defineProperty(G, name, { value: globals[name], writable: true, enumerable: false, configurable: true });
  for (const name of ['match', 'matchAll', 'search']) delete String.prototype[name];
  // String patterns are Java regular expressions in APPSYNC_JS (java-replace.ts).
  const javaReplace = (${JAVA_REPLACE_SOURCE})(RegExp, String.prototype.replace, javaPatternJson, parse);
  for (const name of ['replace', 'replaceAll']) {
    defineProperty(String.prototype, name, { value: javaReplace[name], writable: true, enumerable: false, configurable: true });
  }
  // JSON.parse of text that is not JSON returns '' in APPSYNC_JS (supported-features.html). The
  // runtime's own parse (above) stays the native one. Converted outside the try, so a fault in
  // resolver code (a toString) is not mistaken for bad JSON; a reviver sees a second parse.
  const lenientParse = ({
    parse(text, reviver) {
      const source = typeof text === 'string' ? text : StringOf(text);
      let value;
      try {
        value = parse(source);
      } catch (err) {
        return '';
      }
      return typeof reviver === 'function' ? parse(source, reviver) : value;
    },
  }).parse;
  defineProperty(JSON, 'parse', { value: lenientParse, writable: true, enumerable: false, configurable: true });

  const seen = new WeakSet();
  const pending = [modules, run, tick];
  for (const key of ownKeys(G)) {
    const d = getOwnPropertyDescriptor(G, key);
    if (d && 'value' in d && d.value !== G) pending.push(d.value);
  }
  while (pending.length > 0) {
    const o = pending.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
    seen.add(o);
    freeze(o);
    pending.push(getPrototypeOf(o));
    for (const key of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, key);
      if ('value' in d) pending.push(d.value);
      else pending.push(d.get, d.set);
    }
  }
  for (const key of ownKeys(G)) {
    const d = getOwnPropertyDescriptor(G, key);
    if (!d || !('value' in d)) continue;
    const hidden = key === 'globalThis' || removed.includes(key);
    defineProperty(G, key, { value: hidden ? undefined : d.value, writable: false, enumerable: d.enumerable, configurable: false });
  }
  return run;
})`;
