// Synthesizes the real stack for tests: the repository's own schema, resolvers and wiring, Lambda
// bundling skipped (no Docker, no esbuild run per function), resolver code bundled once.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleResolverSpecs } from '../../infra/bundle.ts';
import { discoverResolvers, type ResolverSpec } from '../../infra/resolvers.ts';
import { SlotsyncStack } from '../../infra/stack.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Synthesized {
  app: App;
  stack: SlotsyncStack;
  template: Template;
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  specs: ResolverSpec[];
  code: Map<string, string>;
}

/** cdk.json's context (the feature flags among it), as the CDK CLI hands it to infra/app.ts. */
export function projectContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

/** An app configured as `cdk synth` configures it, with Lambda bundling skipped. */
export function newApp(): App {
  return new App({ context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] } });
}

export async function synthesizeRepoStack(): Promise<Synthesized> {
  const specs = discoverResolvers(repoRoot);
  const code = await bundleResolverSpecs(repoRoot, specs);
  const app = newApp();
  const stack = new SlotsyncStack(app, 'SlotsyncTest', { root: repoRoot, resolvers: specs, resolverCode: code });
  const template = Template.fromStack(stack);
  return { app, stack, template, resources: template.toJSON().Resources, specs, code };
}

/** The logical id of a construct's CloudFormation resource, as `Ref`/`Fn::GetAtt` name it. */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.resolve(element.logicalId) as string;
}
