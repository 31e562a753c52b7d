// Lambda configuration comes from the environment the wiring declares (infra/wiring.ts).
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
