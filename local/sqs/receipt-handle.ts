// Receipt handles: opaque to clients, they name the queue, the message and the receive they came
// from. Only a message's latest handle is stored, so a handle from an earlier receive is
// recognisably stale without keeping any history.

const MAX_HANDLE_LENGTH = 1024;

export interface ReceiptHandle {
  queueArn: string;
  messageId: string;
  receiveId: string;
}

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  return Buffer.from(`${handle.queueArn}|${handle.messageId}|${handle.receiveId}`, 'utf8').toString('base64url');
}

export function decodeReceiptHandle(text: string): ReceiptHandle | undefined {
  if (text.length === 0 || text.length > MAX_HANDLE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || !parts[0].startsWith('arn:') || parts[1].length === 0 || parts[2].length === 0) return undefined;
  return { queueArn: parts[0], messageId: parts[1], receiveId: parts[2] };
}
