// Construct ids derived from wiring names, so a renamed queue or function renames its resources.

/** `stream-failures` → `StreamFailures`, `generate-slots` → `GenerateSlots`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** `stream-failures` → `streamFailures`: the CDK output names as local outputs.json keys. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}
