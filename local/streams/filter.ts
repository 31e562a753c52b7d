// Lambda event filtering (FilterCriteria): the EventBridge pattern language as Lambda applies it
// to each record of an event source. A record passes when it matches any pattern (OR); a pattern
// matches when every key matches (AND); leaf rules are arrays of alternatives:
//   "S": ["BOOKING"]                      equality (strings exact, numbers as JSON numbers)
//   [null], [""]                          null, empty string
//   [{ "prefix": "HOLD#" }]               begins with (also { "prefix": { "equals-ignore-case": … } })
//   [{ "suffix": ".png" }]                ends with (also with equals-ignore-case)
//   [{ "equals-ignore-case": "alice" }]   equality without case
//   [{ "anything-but": ["a", "b"] }]      not one of (a value, a list, { prefix }, { suffix },
//                                         { equals-ignore-case })
//   [{ "numeric": [">", 10, "<=", 20] }]  numeric comparison or range (JSON numbers only: the
//                                         string-typed DynamoDB "N" values never match it)
//   [{ "exists": true | false }]          leaf present / absent
//   "$or": [pattern, pattern, …]          OR across keys
// Rules apply to leaves only: a rule on a key whose value is an object never matches, which is
// why DynamoDB filters go down to the type key ({ "PK": { "S": [...] } }). When the event value
// is an array, the rule matches if any element matches. Validation rejects what Lambda would
// reject at CreateEventSourceMapping, and the EventBridge-only operators (wildcard, cidr).
import type { FilterPattern } from '../../infra/wiring.ts';

export class InvalidFilterPatternError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid filter pattern at ${path || '(root)'}: ${reason}`);
    this.name = 'InvalidRequestContentException';
  }
}

type Rule = string | number | boolean | null | Record<string, unknown>;

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** True when there are no filters, or the record matches at least one of them. */
export function matchesFilterCriteria(patterns: readonly FilterPattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesFilterPattern(pattern, record));
}

export function matchesFilterPattern(pattern: FilterPattern, record: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(rule as FilterPattern[]).some((alternative) => matchesFilterPattern(alternative, record))) return false;
      continue;
    }
    const value = isObject(record) && Object.hasOwn(record, key) ? record[key] : undefined;
    const matched = Array.isArray(rule)
      ? matchesLeaf(rule as Rule[], value)
      : matchesFilterPattern(rule as FilterPattern, isObject(value) ? value : undefined);
    if (!matched) return false;
  }
  return true;
}

function matchesLeaf(rules: Rule[], value: unknown): boolean {
  if (value === undefined) return rules.some((rule) => isObject(rule) && rule.exists === false);
  if (isObject(value)) return false;
  const values = Array.isArray(value) ? value.filter((v) => !isObject(v) && !Array.isArray(v)) : [value];
  if (values.length === 0) return false;
  return rules.some((rule) => values.some((v) => matchesRule(rule, v)));
}

function matchesRule(rule: Rule, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  const [operator, operand] = Object.entries(rule)[0];
  switch (operator) {
    case 'exists':
      return operand === true;
    case 'prefix':
      return typeof value === 'string' && compareText(value, operand, (v, o) => v.startsWith(o));
    case 'suffix':
      return typeof value === 'string' && compareText(value, operand, (v, o) => v.endsWith(o));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase();
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(operand as Array<string | number>, value);
    case 'anything-but':
      return !isExcluded(operand, value);
    default:
      return false;
  }
}

function compareText(value: string, operand: unknown, test: (value: string, operand: string) => boolean): boolean {
  if (typeof operand === 'string') return test(value, operand);
  const ignoreCase = (operand as Record<string, string>)['equals-ignore-case'];
  return test(value.toLowerCase(), ignoreCase.toLowerCase());
}

function matchesNumeric(comparisons: Array<string | number>, value: number): boolean {
  for (let i = 0; i < comparisons.length; i += 2) {
    const bound = comparisons[i + 1] as number;
    const ok = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[comparisons[i] as '=' | '<' | '<=' | '>' | '>='];
    if (!ok) return false;
  }
  return true;
}

function isExcluded(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.includes(value);
  if (!isObject(operand)) return operand === value;
  if (typeof value !== 'string') return false;
  if ('prefix' in operand) return value.startsWith(operand.prefix as string);
  if ('suffix' in operand) return value.endsWith(operand.suffix as string);
  const ignored = operand['equals-ignore-case'] as string | string[];
  return (Array.isArray(ignored) ? ignored : [ignored]).some((o) => o.toLowerCase() === value.toLowerCase());
}

/** Throws InvalidFilterPatternError where Lambda would refuse the pattern. */
export function validateFilterPattern(pattern: unknown, path = ''): asserts pattern is FilterPattern {
  if (!isObject(pattern)) throw new InvalidFilterPatternError(path, 'a pattern must be a JSON object');
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidFilterPatternError(path, 'empty objects are not allowed');
  for (const [key, rule] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new InvalidFilterPatternError(at, '$or needs an array of at least two patterns');
      rule.forEach((alternative, i) => validateFilterPattern(alternative, `${at}[${i}]`));
    } else if (Array.isArray(rule)) {
      if (rule.length === 0) throw new InvalidFilterPatternError(at, 'empty arrays are not allowed');
      rule.forEach((r, i) => validateRule(r, `${at}[${i}]`));
    } else if (isObject(rule)) {
      validateFilterPattern(rule, at);
    } else {
      throw new InvalidFilterPatternError(at, 'match values must be inside an array');
    }
  }
}

function validateRule(rule: unknown, at: string): void {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) {
    if (typeof rule === 'number' && !Number.isFinite(rule)) throw new InvalidFilterPatternError(at, 'numbers must be finite');
    return;
  }
  if (!isObject(rule)) throw new InvalidFilterPatternError(at, 'a rule is a string, number, boolean, null or an operator object');
  const entries = Object.entries(rule);
  if (entries.length !== 1) throw new InvalidFilterPatternError(at, 'an operator object has exactly one operator');
  const [operator, operand] = entries[0];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidFilterPatternError(at, 'exists takes true or false');
      return;
    case 'prefix':
    case 'suffix':
      if (typeof operand === 'string' || isIgnoreCase(operand, false)) return;
      throw new InvalidFilterPatternError(at, `${operator} takes a string or { "equals-ignore-case": string }`);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new InvalidFilterPatternError(at, 'equals-ignore-case takes a string');
      return;
    case 'numeric':
      validateNumeric(operand, at);
      return;
    case 'anything-but':
      validateAnythingBut(operand, at);
      return;
    default:
      throw new InvalidFilterPatternError(at, `unsupported operator "${operator}"`);
  }
}

function validateNumeric(operand: unknown, at: string): void {
  const fail = () => {
    throw new InvalidFilterPatternError(at, 'numeric takes [op, number] or a range [">"|">=", number, "<"|"<=", number]');
  };
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) fail();
  const list = operand as unknown[];
  for (let i = 0; i < list.length; i += 2) {
    if (!NUMERIC_OPERATORS.has(list[i] as string) || typeof list[i + 1] !== 'number' || !Number.isFinite(list[i + 1])) fail();
  }
  if (list.length === 4 && (!['>', '>='].includes(list[0] as string) || !['<', '<='].includes(list[2] as string))) fail();
}

function validateAnythingBut(operand: unknown, at: string): void {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((o) => typeof o === 'string');
    const allNumbers = operand.every((o) => typeof o === 'number' && Number.isFinite(o));
    if (operand.length > 0 && (allStrings || allNumbers)) return;
  } else if (isObject(operand) && Object.keys(operand).length === 1) {
    if (typeof operand.prefix === 'string' || typeof operand.suffix === 'string' || isIgnoreCase(operand, true)) return;
  }
  throw new InvalidFilterPatternError(at, 'anything-but takes a value, a list of strings or numbers, { prefix }, { suffix } or { equals-ignore-case }');
}

function isIgnoreCase(operand: unknown, allowList: boolean): boolean {
  if (!isObject(operand) || Object.keys(operand).length !== 1) return false;
  const value = operand['equals-ignore-case'];
  if (typeof value === 'string') return true;
  return allowList && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
