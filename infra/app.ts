// CDK app entry (cdk.json): discovers and bundles the resolvers first (bundling is async, stack
// construction is not), builds the stack, and runs the AwsSolutions cdk-nag checks on it.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleResolverSpecs } from './bundle.ts';
import { contextEmail, contextSaysFalse } from './context.ts';
import { discoverResolvers } from './resolvers.ts';
import { SlotsyncStack } from './stack.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resolvers = discoverResolvers(root);
const resolverCode = await bundleResolverSpecs(root, resolvers);

const app = new App();
new SlotsyncStack(app, 'Slotsync', {
  root,
  resolvers,
  resolverCode,
  // `cdk deploy -c retainData=false` for throwaway stacks that should leave nothing behind.
  retainData: !contextSaysFalse(app.node.tryGetContext('retainData')),
  // `-c reserveConcurrency=false` for accounts whose Lambda concurrency quota is under 180.
  reserveConcurrency: !contextSaysFalse(app.node.tryGetContext('reserveConcurrency')),
  // `-c alarmEmail=ops@example.com` subscribes an address to the alarm topic.
  alarmEmail: contextEmail('alarmEmail', app.node.tryGetContext('alarmEmail')),
  description: 'slotsync: appointment-booking GraphQL API (AppSync, DynamoDB, SQS, Lambda)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
