// CDK context flags arrive as the string "false" from `-c name=false` and as the boolean false from
// cdk.json's "context": both must turn a default-on setting off.

export function contextSaysFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}
