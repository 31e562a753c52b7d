// util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression. The rendering follows
// outputs recorded from AWS EvaluateCode (localstack/appsync-utils transform snapshots): each
// operator renders parenthesised, several operators of one field or members of a group are wrapped
// once more, top-level entries are joined with " AND " unwrapped, value placeholders carry the
// and_N_/or_N_/not_ path, and empty parts are joined like any other (a dangling joiner). Both entry
// points produced identical output for every recorded input. A filter AWS cannot render gives null.
import { isPlainObject, setOwn } from './errors.ts';
import { toDynamoDB, type AttributeValue } from './dynamodb-values.ts';

export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** Internal: the filter cannot be rendered; the public functions answer null. */
class Unrenderable extends Error {}

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Record<string, string> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL', string: 'S', stringSet: 'SS', number: 'N', numberSet: 'NS', binary: 'B', binarySet: 'BS',
  boolean: 'BOOL', list: 'L', map: 'M',
};
const MAX_DEPTH = 32;

class Renderer {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  filter(obj: unknown, prefix: string, depth: number): string {
    if (!isPlainObject(obj) || depth > MAX_DEPTH) throw new Unrenderable();
    const parts: string[] = [];
    for (const [key, value] of Object.entries(obj)) {
      if (value === undefined) continue;
      if (key === 'and' || key === 'or') parts.push(this.group(key, value, prefix, depth));
      else if (key === 'not') parts.push(`(NOT ${this.filter(value, `${prefix}not_`, depth + 1)})`);
      else parts.push(this.field(key, value, prefix));
    }
    return parts.join(' AND ');
  }

  private group(key: 'and' | 'or', members: unknown, prefix: string, depth: number): string {
    if (!Array.isArray(members)) throw new Unrenderable();
    const rendered = members.map((m, i) => this.filter(m, `${prefix}${key}_${i}_`, depth + 1));
    return wrap(rendered, key === 'and' ? 'AND' : 'OR');
  }

  private field(name: string, ops: unknown, prefix: string): string {
    if (!isPlainObject(ops)) throw new Unrenderable();
    const path = `#${name}`;
    setOwn(this.names, path, name);
    return this.operators(path, path, `${prefix}${name}`, ops, 0);
  }

  private operators(fieldPath: string, exprPath: string, base: string, ops: Record<string, unknown>, depth: number): string {
    if (depth > MAX_DEPTH) throw new Unrenderable();
    const items: string[] = [];
    for (const [op, operand] of Object.entries(ops)) {
      if (operand === undefined) continue;
      items.push(this.operator(fieldPath, exprPath, base, op, operand, depth));
    }
    return wrap(items, 'AND');
  }

  private value(name: string, operand: unknown): string {
    setOwn(this.values, name, toDynamoDB(operand));
    return name;
  }

  private operator(fieldPath: string, path: string, base: string, op: string, operand: unknown, depth: number): string {
    if (COMPARATORS[op]) return `(${path} ${COMPARATORS[op]} ${this.value(`:${base}_${op}`, operand)})`;
    if (FUNCTIONS[op]) return `(${FUNCTIONS[op]}(${path},${this.value(`:${base}_${op}`, operand)}))`;
    switch (op) {
      case 'in': {
        if (!Array.isArray(operand)) throw new Unrenderable();
        // AWS renders an empty list as "(null)".
        if (operand.length === 0) return '(null)';
        const names = operand.map((v, i) => this.value(`:${base}_in_${i}`, v));
        return `(${path} IN (${names.join(', ')}))`;
      }
      case 'between': {
        if (!Array.isArray(operand) || operand.length < 2) throw new Unrenderable();
        const start = this.value(`:${base}_between_start`, operand[0]);
        const end = this.value(`:${base}_between_end`, operand[1]);
        return `(${path} BETWEEN ${start} AND ${end})`;
      }
      case 'attributeExists':
        if (typeof operand !== 'boolean') throw new Unrenderable();
        return `(${operand ? 'attribute_exists' : 'attribute_not_exists'}(${path}))`;
      case 'attributeType': {
        const code = typeof operand === 'string' ? ATTRIBUTE_TYPES[operand] : undefined;
        if (!code || !Object.hasOwn(ATTRIBUTE_TYPES, operand as string)) throw new Unrenderable();
        return `(attribute_type(${path},${this.value(`:${base}_attributeType`, code)}))`;
      }
      case 'size':
        // Nested size keeps size(#field) but extends the value name (recorded AWS behaviour).
        if (!isPlainObject(operand)) throw new Unrenderable();
        return this.operators(fieldPath, `size(${fieldPath})`, `${base}_size`, operand, depth + 1);
      default:
        throw new Unrenderable();
    }
  }
}

function wrap(items: string[], joiner: 'AND' | 'OR'): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0];
  return `(${items.join(` ${joiner} `)})`;
}

/** The expression object, or null when AWS would not render the filter. */
export function renderFilterExpression(filter: unknown): DynamoDBExpression | null {
  const renderer = new Renderer();
  try {
    const expression = renderer.filter(filter, '', 0);
    return { expression, expressionNames: renderer.names, expressionValues: renderer.values };
  } catch (err) {
    if (err instanceof Unrenderable) return null;
    throw err;
  }
}

/** util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression: a JSON string, or null. */
export function toDynamoDBFilterExpression(filter: unknown): string | null {
  const rendered = renderFilterExpression(filter);
  return rendered === null ? null : JSON.stringify(rendered);
}
