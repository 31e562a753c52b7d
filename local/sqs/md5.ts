// The digests SQS returns and the SDK checks: MD5 of the UTF-8 body, and MD5 of the message
// attributes in SQS's binary encoding (SQS Developer Guide, "Calculating the MD5 message digest
// for message attributes"): attributes sorted by name, each as length-prefixed name, length-
// prefixed data type, a transport byte (1 String/Number, 2 Binary) and the length-prefixed value.
import { createHash } from 'node:crypto';
import type { MessageAttribute } from './message-attributes.ts';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** undefined for no attributes: SQS then omits MD5OfMessageAttributes. */
export function md5OfMessageAttributes(attributes: ReadonlyMap<string, MessageAttribute>): string | undefined {
  if (attributes.size === 0) return undefined;
  const hash = createHash('md5');
  const names = [...attributes.keys()].sort();
  for (const name of names) {
    const attribute = attributes.get(name) as MessageAttribute;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.dataType, 'utf8')));
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([BINARY_TRANSPORT]));
      hash.update(lengthPrefixed(attribute.binaryValue));
    } else {
      hash.update(Buffer.from([STRING_TRANSPORT]));
      hash.update(lengthPrefixed(Buffer.from(attribute.stringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}
