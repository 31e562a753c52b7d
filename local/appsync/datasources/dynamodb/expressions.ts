// Several AppSync expressions (key condition, filter, projection, update, condition) go into one
// DynamoDB call, which takes a single map of names and one of values: merge them, refusing a
// placeholder that two expressions define differently.
import type { AttributeValue } from '../../../dynamodb/wire.ts';
import { MappingTemplateError } from './errors.ts';
import { identity, type WireItem } from './values.ts';
import type { Expression } from './validation/shapes.ts';

export class ExpressionAttributes {
  private readonly names: Record<string, string> = {};
  private readonly values: WireItem = {};

  /** Adds the expression's names and values; returns its text (undefined when absent). */
  add(expression: Expression | undefined): string | undefined {
    if (!expression) return undefined;
    for (const [placeholder, name] of Object.entries(expression.names)) {
      const known = this.names[placeholder];
      if (known !== undefined && known !== name) throw conflict(placeholder);
      this.names[placeholder] = name;
    }
    for (const [placeholder, value] of Object.entries(expression.values)) {
      const known = this.values[placeholder];
      if (known !== undefined && !sameValue(known, value)) throw conflict(placeholder);
      this.values[placeholder] = value;
    }
    return expression.expression;
  }

  /** Defines an extra name placeholder (used to add key attributes to a projection). */
  addName(placeholder: string, name: string): void {
    this.names[placeholder] = name;
  }

  /** DynamoDB rejects empty maps, so absent ones are left out. */
  params(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: WireItem } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: { ...this.names } } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: { ...this.values } } : {}),
    };
  }
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  return identity({ v: a }) === identity({ v: b });
}

function conflict(placeholder: string): MappingTemplateError {
  return new MappingTemplateError(`Expression placeholder '${placeholder}' is defined twice with different values.`);
}
