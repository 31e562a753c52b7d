// Reading the request object a resolver returned, field by field, rejecting what AppSync rejects.
// Messages follow AppSync's: "Value for field '$[operation]' not found." (AWS troubleshooting page)
// and "Unsupported element '$[returnValues]'." (aws-appsync-community#110, #217). The wording for a
// field of the wrong JSON type is modelled on AppSync's attribute-value message [UNCONFIRMED].
import { MappingTemplateError } from '../errors.ts';
import { isPlainObject, jsonTypeName } from '../values.ts';

export type Fields = Record<string, unknown>;

export const ROOT = '$';

export function at(path: string, name: string | number): string {
  return `${path}[${name}]`;
}

function wrongType(path: string, expected: string, value: unknown): MappingTemplateError {
  return new MappingTemplateError(`Expected ${expected} for field '${path}' but got '${jsonTypeName(value)}' instead.`);
}

/** The object at `path`, allowed to carry only the `allowed` fields. */
export function fieldsOf(value: unknown, path: string, allowed: readonly string[]): Fields {
  if (!isPlainObject(value)) throw wrongType(path, 'JSON object', value);
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new MappingTemplateError(`Unsupported element '${at(path, name)}'.`);
  }
  return value;
}

/** JSON null counts as absent: `nextToken: ctx.args.nextToken` is null on a first page. */
export function present(obj: Fields, name: string): boolean {
  return obj[name] !== undefined && obj[name] !== null;
}

export function required(obj: Fields, name: string, path: string): unknown {
  if (!present(obj, name)) throw new MappingTemplateError(`Value for field '${at(path, name)}' not found.`);
  return obj[name];
}

export function requiredString(obj: Fields, name: string, path: string): string {
  const value = required(obj, name, path);
  if (typeof value !== 'string') throw wrongType(at(path, name), 'a string', value);
  return value;
}

export function optionalString(obj: Fields, name: string, path: string): string | undefined {
  return present(obj, name) ? requiredString(obj, name, path) : undefined;
}

export function optionalBoolean(obj: Fields, name: string, path: string): boolean | undefined {
  if (!present(obj, name)) return undefined;
  const value = obj[name];
  if (typeof value !== 'boolean') throw wrongType(at(path, name), 'a boolean', value);
  return value;
}

export function optionalInteger(obj: Fields, name: string, path: string): number | undefined {
  if (!present(obj, name)) return undefined;
  const value = obj[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType(at(path, name), 'an integer', value);
  return value;
}

export function optionalEnum<T extends string>(obj: Fields, name: string, path: string, values: readonly T[]): T | undefined {
  const value = optionalString(obj, name, path);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw new MappingTemplateError(`Value for field '${at(path, name)}' must be one of ${values.join(', ')}.`);
  }
  return value as T;
}

export function optionalStringArray(obj: Fields, name: string, path: string): string[] | undefined {
  if (!present(obj, name)) return undefined;
  const value = obj[name];
  if (!Array.isArray(value)) throw wrongType(at(path, name), 'a JSON array', value);
  return value.map((v, i) => {
    if (typeof v !== 'string') throw wrongType(at(at(path, name), i), 'a string', v);
    return v;
  });
}

export function optionalStringMap(obj: Fields, name: string, path: string): Record<string, string> | undefined {
  if (!present(obj, name)) return undefined;
  const value = obj[name];
  if (!isPlainObject(value)) throw wrongType(at(path, name), 'JSON object', value);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw wrongType(at(at(path, name), k), 'a string', v);
  }
  return value as Record<string, string>;
}

export function requiredArray(obj: Fields, name: string, path: string): unknown[] {
  const value = required(obj, name, path);
  if (!Array.isArray(value)) throw wrongType(at(path, name), 'a JSON array', value);
  return value;
}

export function requiredObject(obj: Fields, name: string, path: string): Fields {
  const value = required(obj, name, path);
  if (!isPlainObject(value)) throw wrongType(at(path, name), 'JSON object', value);
  return value;
}
