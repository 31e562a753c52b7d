// The CDK's feature flags: cdk.json opts into every flag aws-cdk-lib recommends for new projects (as
// `cdk init` would), and the tests synthesize with the same context `cdk synth` uses. After an
// aws-cdk-lib upgrade, a newly recommended flag fails here until someone reads it and adds it.
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { newApp, projectContext } from './synth.ts';

describe('feature flags', () => {
  it('cdk.json sets every currently recommended flag to its recommended value', () => {
    // One comparison: a failure lists every flag that is missing or set otherwise.
    const context = projectContext();
    const set = Object.fromEntries(Object.keys(CURRENTLY_RECOMMENDED_FLAGS).map((flag) => [flag, context[flag]]));
    expect(set).toEqual(CURRENTLY_RECOMMENDED_FLAGS);
  });

  it('the stack the tests synthesize is built with cdk.json context', () => {
    const app = newApp();
    expect(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBe(true);
    expect(app.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
  });
});
