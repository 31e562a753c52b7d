// CDK context flags arrive as the string "false" from `-c name=false` and as the boolean false from
// cdk.json's "context": both must turn a default-on setting off.

export function contextSaysFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

/**
 * `-c alarmEmail=ops@example.com`: the address subscribed to the alarm topic, or undefined when
 * unset or empty. Anything else that is not one address stops the synth, rather than deploying a
 * subscription SNS can never confirm.
 */
export function contextEmail(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const email = typeof value === 'string' ? value.trim() : '';
  if (!/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(email)) {
    throw new Error(`-c ${name}: ${JSON.stringify(value)} is not an email address (expected one address, like ops@example.com)`);
  }
  return email;
}
