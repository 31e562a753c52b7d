// AppSync's built-in scalars as graphql-js scalar behaviour. Input that AppSync rejects is rejected
// here with AppSync's wording ("Unable to parse `x` as a valid date."); output that AppSync cannot
// serialize fails the field the way AppSync does ("Can't serialize value (/path) : ...").
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import {
  isAWSDate,
  isAWSDateTime,
  isAWSEmail,
  isAWSIPAddress,
  isAWSPhone,
  isAWSTime,
  isAWSTimestamp,
  isAWSURL,
  parseAWSJSON,
} from './scalar-formats.ts';

export const AWS_SCALARS = [
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSPhone',
  'AWSURL',
  'AWSIPAddress',
] as const;
export type AWSScalarName = (typeof AWS_SCALARS)[number];

/** What the value should have been, in AppSync's messages ("as a valid <noun>"). */
const NOUNS: Record<AWSScalarName, string> = {
  AWSDate: 'a valid date',
  AWSTime: 'a valid time',
  AWSDateTime: 'a valid DateTime Object',
  AWSTimestamp: 'a valid timestamp',
  AWSEmail: 'a valid email address',
  AWSJSON: 'valid JSON',
  AWSPhone: 'a valid phone number',
  AWSURL: 'a valid URL',
  AWSIPAddress: 'a valid IP address',
};

/** Thrown by serialize(): the HTTP layer turns it into "Can't serialize value (/path) : ...". */
export class ScalarSerializeError extends GraphQLError {}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

export function parseFailureMessage(name: AWSScalarName, value: unknown): string {
  return `Unable to parse \`${show(value)}\` as ${NOUNS[name]}.`;
}

type Check = (value: string) => boolean;
const STRING_CHECKS: Record<Exclude<AWSScalarName, 'AWSTimestamp' | 'AWSJSON'>, Check> = {
  AWSDate: isAWSDate,
  AWSTime: isAWSTime,
  AWSDateTime: isAWSDateTime,
  AWSEmail: isAWSEmail,
  AWSPhone: isAWSPhone,
  AWSURL: isAWSURL,
  AWSIPAddress: isAWSIPAddress,
};

/** Coerces an input value (variable JSON) or reports why AppSync would refuse it. */
export function coerceAWSScalar(name: AWSScalarName, value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (name === 'AWSTimestamp') return isAWSTimestamp(value) ? { ok: true, value } : { ok: false };
  if (typeof value !== 'string') return { ok: false };
  if (name === 'AWSJSON') return parseAWSJSON(value);
  return STRING_CHECKS[name](value) ? { ok: true, value } : { ok: false };
}

function literalValue(name: AWSScalarName, node: ValueNode): unknown {
  if (name === 'AWSTimestamp') return node.kind === Kind.INT ? Number(node.value) : undefined;
  return node.kind === Kind.STRING ? node.value : undefined;
}

function scalar(name: AWSScalarName): GraphQLScalarType {
  const parse = (value: unknown): unknown => {
    const result = coerceAWSScalar(name, value);
    if (!result.ok) throw new GraphQLError(parseFailureMessage(name, value));
    return result.value;
  };
  return new GraphQLScalarType({
    name,
    parseValue: parse,
    parseLiteral(node) {
      const value = literalValue(name, node);
      if (value === undefined) throw new GraphQLError(parseFailureMessage(name, node.kind));
      return parse(value);
    },
    serialize(value) {
      // AWSJSON leaves as JSON text; a resolver may hand back any JSON value.
      if (name === 'AWSJSON') return typeof value === 'string' ? value : JSON.stringify(value);
      const ok = name === 'AWSTimestamp' ? isAWSTimestamp(value) : typeof value === 'string' && STRING_CHECKS[name](value);
      if (!ok) throw new ScalarSerializeError(`Unable to serialize \`${show(value)}\` as ${NOUNS[name]}.`);
      return value;
    },
  });
}

export function isAWSScalarName(name: string): name is AWSScalarName {
  return (AWS_SCALARS as readonly string[]).includes(name);
}

/**
 * Gives the schema's declared AWS scalars AppSync's behaviour. buildSchema() creates them as
 * pass-through scalars and every field already references those instances, so their behaviour
 * is swapped in place rather than rebuilding the type graph.
 */
export function installAWSScalars(schema: GraphQLSchema): void {
  for (const name of AWS_SCALARS) {
    const declared = schema.getType(name);
    if (!(declared instanceof GraphQLScalarType)) continue;
    const impl = scalar(name);
    declared.serialize = impl.serialize;
    declared.parseValue = impl.parseValue;
    declared.parseLiteral = impl.parseLiteral;
  }
}
