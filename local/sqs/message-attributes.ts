// Message (user) attributes and message system attributes: validation of the wire shape with
// SQS's messages, their stored form, their size (counted towards MaximumMessageSize) and the
// MessageAttributeNames filter of ReceiveMessage.
import { invalidParameterValue } from './errors.ts';
import { MAX_ATTRIBUTE_NAME_LENGTH, MAX_MESSAGE_ATTRIBUTES } from './limits.ts';
import { hasOnlyValidCharacters } from './message-body.ts';

export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: Buffer;
}

/** The JSON protocol's MessageAttributeValue: BinaryValue travels base64-encoded. */
export interface WireMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function validateName(name: string, kind: string): void {
  if (name.length === 0) throw invalidParameterValue(`The request must contain non-empty message ${kind} attribute names.`);
  if (Buffer.byteLength(name) > MAX_ATTRIBUTE_NAME_LENGTH) {
    throw invalidParameterValue(`Message ${kind} attribute name must be shorter than ${MAX_ATTRIBUTE_NAME_LENGTH} bytes.`);
  }
  if (!NAME_CHARACTERS.test(name)) {
    throw invalidParameterValue(
      `Message ${kind} attribute name '${name}' can only contain upper and lower case characters, digits, periods, hyphens and underscores.`
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw invalidParameterValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use."
    );
  }
  if (name.startsWith('.')) throw invalidParameterValue(`Message ${kind} attribute name must not begin with character '.'.`);
  if (name.endsWith('.')) throw invalidParameterValue(`Message ${kind} attribute name must not end with character '.'.`);
  if (name.includes('..')) throw invalidParameterValue(`Message ${kind} attribute name must not have successive '.' characters.`);
}

function parseValue(name: string, raw: unknown, kind: string): MessageAttribute {
  if (!isRecord(raw) || typeof raw.DataType !== 'string' || raw.DataType.length === 0) {
    throw invalidParameterValue(`The message ${kind} attribute '${name}' must contain a non-empty message attribute type.`);
  }
  const dataType = raw.DataType;
  if (!DATA_TYPE.test(dataType)) {
    throw invalidParameterValue(
      `The type of message ${kind} attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`
    );
  }
  if (Buffer.byteLength(dataType) > MAX_ATTRIBUTE_NAME_LENGTH) {
    throw invalidParameterValue(`Message ${kind} attribute type must be shorter than ${MAX_ATTRIBUTE_NAME_LENGTH} bytes.`);
  }
  const lists = [raw.StringListValues, raw.BinaryListValues].filter((list) => list !== undefined && list !== null);
  if (lists.some((list) => !Array.isArray(list) || list.length > 0)) {
    // SQS documents the list values as reserved for future use and refuses them.
    throw invalidParameterValue(`Message ${kind} attribute '${name}': StringListValues and BinaryListValues are not supported.`);
  }
  const hasString = raw.StringValue !== undefined && raw.StringValue !== null;
  const hasBinary = raw.BinaryValue !== undefined && raw.BinaryValue !== null;
  if (hasString && hasBinary) throw invalidParameterValue(`Message ${kind} attribute '${name}' must have a single value.`);
  if (dataType.startsWith('Binary')) {
    if (typeof raw.BinaryValue !== 'string' || raw.BinaryValue.length === 0 || hasString) {
      throw invalidParameterValue(`Message ${kind} attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    }
    if (!BASE64.test(raw.BinaryValue))
      throw invalidParameterValue(`Message ${kind} attribute '${name}' has an invalid base64 BinaryValue.`);
    return { dataType, binaryValue: Buffer.from(raw.BinaryValue, 'base64') };
  }
  if (typeof raw.StringValue !== 'string' || raw.StringValue.length === 0) {
    throw invalidParameterValue(`Message ${kind} attribute '${name}' must contain a non-empty value of type '${dataType}'.`);
  }
  if (!hasOnlyValidCharacters(raw.StringValue)) {
    throw invalidParameterValue(`Message ${kind} attribute '${name}' contains invalid characters.`);
  }
  if (dataType.startsWith('Number') && !NUMBER.test(raw.StringValue)) {
    throw invalidParameterValue(`Can't cast the value of message ${kind} attribute '${name}' to a number.`);
  }
  return { dataType, stringValue: raw.StringValue };
}

/** Parses `MessageAttributes` (kind "(user)") or `MessageSystemAttributes` (kind "system"). */
export function parseMessageAttributes(raw: unknown, kind: '(user)' | 'system'): Map<string, MessageAttribute> {
  const attributes = new Map<string, MessageAttribute>();
  if (raw === undefined || raw === null) return attributes;
  if (!isRecord(raw)) throw invalidParameterValue(`Message ${kind} attributes must be a map.`);
  const names = Object.keys(raw);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  for (const name of names) {
    if (kind === 'system') {
      // AWSTraceHeader is the only system attribute a sender may set (MessageSystemAttributeNameForSends).
      if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    } else {
      validateName(name, kind);
    }
    const attribute = parseValue(name, raw[name], kind);
    if (kind === 'system' && attribute.dataType !== 'String') {
      throw invalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
    attributes.set(name, attribute);
  }
  return attributes;
}

/** Bytes counted towards the message size: name, data type and value of each attribute. */
export function attributesSize(attributes: ReadonlyMap<string, MessageAttribute>): number {
  let size = 0;
  for (const [name, attribute] of attributes) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.dataType);
    size += attribute.binaryValue ? attribute.binaryValue.length : Buffer.byteLength(attribute.stringValue ?? '');
  }
  return size;
}

export function toWire(attributes: ReadonlyMap<string, MessageAttribute>): Record<string, WireMessageAttribute> {
  // fromEntries defines each name as an own property: `wire[name] = …` would set the prototype
  // for an attribute named __proto__, a valid name, and the attribute would vanish.
  return Object.fromEntries(
    [...attributes].map(([name, attribute]): [string, WireMessageAttribute] => [
      name,
      attribute.binaryValue !== undefined
        ? { DataType: attribute.dataType, BinaryValue: attribute.binaryValue.toString('base64') }
        : { DataType: attribute.dataType, StringValue: attribute.stringValue },
    ]),
  );
}

/**
 * ReceiveMessage's MessageAttributeNames: `All` or `.*` selects every attribute, `prefix.*` those
 * whose name starts with the prefix, anything else an exact name.
 */
export function selectAttributes(
  attributes: ReadonlyMap<string, MessageAttribute>,
  requested: readonly string[]
): Map<string, MessageAttribute> {
  const selected = new Map<string, MessageAttribute>();
  if (requested.length === 0 || attributes.size === 0) return selected;
  const all = requested.includes('All') || requested.includes('.*');
  const prefixes = requested.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  for (const [name, attribute] of attributes) {
    if (all || requested.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))) selected.set(name, attribute);
  }
  return selected;
}
