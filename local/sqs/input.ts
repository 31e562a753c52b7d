// Readers for request members, failing with SQS's errors: a missing required member is
// MissingParameter, a value of the wrong JSON type is a serialization error.
import type { Input } from './action.ts';
import { invalidParameterValue, malformedInput, missingParameter } from './errors.ts';
import type { Queue } from './queue.ts';
import type { QueueRegistry } from './registry.ts';

const MAX_LIST_LENGTH = 100;

export function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  if (typeof value !== 'string') throw malformedInput(`Expected a string for ${name}.`);
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformedInput(`Expected a string for ${name}.`);
  return value;
}

/** An integer member; range checks (with each parameter's own message) stay with the action. */
export function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw malformedInput(`Expected an integer for ${name}.`);
  return value;
}

export function requiredInteger(input: Input, name: string): number {
  const value = optionalInteger(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

export function stringList(input: Input, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH || !value.every((item) => typeof item === 'string')) {
    throw malformedInput(`Expected a list of at most ${MAX_LIST_LENGTH} strings for ${name}.`);
  }
  return value as string[];
}

const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

/**
 * An ARN member: a value of another form is refused; a well-formed ARN that names no queue here is
 * the action's to answer. [message UNCONFIRMED against AWS: LocalStack's and local-sqs's wording]
 */
export function arnMember(value: string, name: string): string {
  if (!ARN.test(value)) {
    throw invalidParameterValue(`You must use this format to specify the ${name}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`);
  }
  return value;
}

export function queueOf(input: Input, registry: QueueRegistry): Queue {
  return registry.byUrl(requiredString(input, 'QueueUrl'));
}
