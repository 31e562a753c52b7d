// client/generated is exactly what `npm run codegen` produces from today's schema and operations,
// and every root field of the schema has an operation in client/operations.
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { buildSchema, Kind, parse } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSchemaSDL } from '../../infra/schema.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const operationsDir = join(root, 'client/operations');
const generatedDir = join(root, 'client/generated');

describe('codegen', () => {
  it('has client/generated up to date with the schema and client/operations', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: join(root, 'codegen.yml') });
    // Generated in memory (saveToFile false): the check never rewrites the files it checks.
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: root, silent: true }, false);
    expect(outputs.map((o) => o.filename).sort()).toEqual(readdirSync(generatedDir).map((f) => `client/generated/${f}`).sort());
    for (const { filename, content } of outputs) {
      const committed = readFileSync(join(root, filename), 'utf8');
      expect(committed === content, `stale generated files: run npm run codegen (${filename} differs)`).toBe(true);
    }
  });

  it('has an operation for every query, mutation and subscription of the schema', () => {
    const schema = buildSchema(readSchemaSDL(root));
    const covered: string[] = [];
    for (const file of readdirSync(operationsDir).filter((f) => f.endsWith('.graphql'))) {
      for (const def of parse(readFileSync(join(operationsDir, file), 'utf8')).definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        for (const sel of def.selectionSet.selections) if (sel.kind === Kind.FIELD) covered.push(`${def.operation}.${sel.name.value}`);
      }
    }
    const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
    const expected = Object.entries(roots).flatMap(([op, type]) => Object.keys(type?.getFields() ?? {}).map((f) => `${op}.${f}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(covered.sort()).toEqual(expected.sort());
  });
});
