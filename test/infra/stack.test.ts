// The synthesized stack matches the wiring, the schema and the discovered resolvers: every table
// key, queue, Lambda, event source, data source, resolver and API setting comes from one place.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { PIPELINE_PASS_THROUGH_CODE } from '../../infra/bundle.ts';
import { readSchemaSDL } from '../../infra/schema.ts';
import {
  api as apiWiring,
  dataSources,
  eventSources,
  functions,
  queues,
  rateLimitedResponse,
  table as tableWiring,
  type EnvValue,
  type FunctionName,
  type QueueName,
} from '../../infra/wiring.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { checkSqsSource } from '../../infra/constructs/event-sources.ts';
import { RATE_LIMIT_RULE_NAME, SIGNED_RATE_LIMIT_RULE_NAME } from '../../infra/constructs/rate-limit.ts';
import { contextSaysFalse } from '../../infra/context.ts';
import { SlotsyncStack } from '../../infra/stack.ts';
import { logicalId, newApp, repoRoot, synthesizeRepoStack, type Synthesized } from './synth.ts';

type Json = Record<string, unknown>;
let s: Synthesized;

beforeAll(async () => {
  s = await synthesizeRepoStack();
});

const props = (id: string) => {
  const resource = s.resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Json;
};
const ofType = (type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const tableId = () => logicalId(s.stack.table);
const queueId = (name: QueueName) => logicalId(s.stack.queues.get(name));
const functionId = (name: FunctionName) => logicalId(s.stack.functions.get(name));
const apiId = () => logicalId(s.stack.graphql.api);

/** What each kind of wiring Ref must become in the template. */
function expectedEnv(value: EnvValue): unknown {
  if (typeof value === 'string') return value;
  switch (value.ref) {
    case 'table':
      return value.attr === 'name' ? { Ref: tableId() } : { 'Fn::GetAtt': [tableId(), value.attr === 'arn' ? 'Arn' : 'StreamArn'] };
    case 'queue':
      return value.attr === 'url' ? { Ref: queueId(value.queue) } : { 'Fn::GetAtt': [queueId(value.queue), 'Arn'] };
    case 'api':
      return { 'Fn::GetAtt': [apiId(), 'GraphQLUrl'] };
  }
}

/** Every IAM statement attached to a role (its default policy and any other policy naming it). */
function statementsOf(roleId: string): Array<{ Action: string | string[]; Resource: unknown }> {
  return ofType('AWS::IAM::Policy')
    .filter(([, r]) => (r.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement);
}
const actionsOf = (roleId: string) => statementsOf(roleId).flatMap((st) => [st.Action].flat());

describe('table', () => {
  it('has the wiring keys, GSIs, TTL attribute, stream and PITR, billed on demand', () => {
    const t = props(tableId());
    expect(t.KeySchema).toEqual([
      { AttributeName: tableWiring.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableWiring.sortKey, KeyType: 'RANGE' },
    ]);
    expect(t.GlobalSecondaryIndexes).toEqual(
      tableWiring.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(t.TimeToLiveSpecification).toEqual({ AttributeName: tableWiring.ttlAttribute, Enabled: true });
    expect(t.StreamSpecification).toEqual({ StreamViewType: tableWiring.streamView });
    expect(t.BillingMode).toBe('PAY_PER_REQUEST');
    const [replica] = t.Replicas as Json[];
    expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(replica.DeletionProtectionEnabled).toBe(true);
    expect(s.resources[tableId()]).toMatchObject({ DeletionPolicy: 'Retain' });
  });
});

describe('queues', () => {
  it('has one queue per wiring queue, plus a DLQ exactly where maxReceiveCount > 0', () => {
    const expectedDlqs = Object.values(queues).filter((q) => q.maxReceiveCount > 0).length;
    expect(ofType('AWS::SQS::Queue')).toHaveLength(Object.keys(queues).length + expectedDlqs);
  });

  for (const [name, wiring] of Object.entries(queues) as Array<[QueueName, (typeof queues)[QueueName]]>) {
    it(`${name}: timeouts, retention, SSE, TLS-only and redrive from the wiring`, () => {
      const q = props(queueId(name));
      expect(q.VisibilityTimeout).toBe(wiring.visibilityTimeoutSeconds);
      expect(q.MessageRetentionPeriod).toBe(wiring.retentionSeconds);
      expect(q.SqsManagedSseEnabled).toBe(true);
      const tlsOnly = ofType('AWS::SQS::QueuePolicy').some(([, p]) => {
        const doc = JSON.stringify(p.Properties);
        return doc.includes(`"Ref":"${queueId(name)}"`) && doc.includes('"aws:SecureTransport":"false"') && doc.includes('"Effect":"Deny"');
      });
      expect(tlsOnly).toBe(true);
      if (wiring.maxReceiveCount > 0) {
        const redrive = q.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] }; maxReceiveCount: number };
        expect(redrive.maxReceiveCount).toBe(wiring.maxReceiveCount);
        const dlq = props(redrive.deadLetterTargetArn['Fn::GetAtt'][0]);
        expect(dlq.MessageRetentionPeriod).toBe(wiring.dlqRetentionSeconds);
        expect(dlq.SqsManagedSseEnabled).toBe(true);
      } else {
        expect(q.RedrivePolicy).toBeUndefined();
      }
    });
  }
});

describe('lambdas', () => {
  it('has exactly the wiring functions', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(Object.keys(functions).length);
  });

  for (const [name, wiring] of Object.entries(functions) as Array<[FunctionName, (typeof functions)[FunctionName]]>) {
    it(`${name}: runtime, architecture, limits and environment from the wiring`, () => {
      const fn = props(functionId(name));
      expect(fn.Runtime).toBe('nodejs22.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Timeout).toBe(wiring.timeoutSeconds);
      expect(fn.MemorySize).toBe(wiring.memoryMb);
      expect(fn.ReservedConcurrentExecutions).toBe(wiring.concurrency);
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      const env = (fn.Environment as { Variables: Json }).Variables;
      expect(Object.keys(env).sort()).toEqual(Object.keys(wiring.environment).sort());
      for (const [key, value] of Object.entries(wiring.environment)) expect(env[key], key).toEqual(expectedEnv(value));
    });

    it(`${name}: its role allows what its grants name and nothing of the others`, () => {
      const roleId = (props(functionId(name)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = actionsOf(roleId);
      const has = (action: string) => actions.includes(action);
      expect(has('dynamodb:GetItem')).toBe(wiring.grants.includes('table:read'));
      expect(has('dynamodb:PutItem')).toBe(wiring.grants.includes('table:write'));
      expect(has('sqs:SendMessage')).toBe(
        wiring.grants.includes('queue:bookings:send') ||
          eventSources.some((e) => e.kind === 'dynamodb-stream' && e.function === name), // on-failure destination
      );
      expect(has('appsync:GraphQL')).toBe(wiring.grants.includes('api:publish'));
      expect(actions.some((a) => a.endsWith(':*'))).toBe(false);
    });
  }

  it('reserves no concurrency when deployed with reserveConcurrency: false (small accounts)', () => {
    const stack = new SlotsyncStack(newApp(), 'SlotsyncSmall', { root: repoRoot, resolvers: s.specs, resolverCode: s.code, reserveConcurrency: false });
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(Object.keys(functions).length);
    for (const fn of fns) expect((fn as { Properties: Json }).Properties.ReservedConcurrentExecutions).toBeUndefined();
    // Nor may an SQS trigger take the small pool whole: SQS's minimum maximum concurrency, 2.
    const sqsMappings = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'))
      .map((m) => (m as { Properties: Json }).Properties)
      .filter((p) => p.ScalingConfig !== undefined);
    expect(sqsMappings.length).toBe(eventSources.filter((e) => e.kind === 'sqs').length);
    for (const mapping of sqsMappings) expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
  });

  it('reads a context flag as false from `-c name=false` and from cdk.json\'s boolean alike', () => {
    for (const off of [false, 'false', 'FALSE', ' false ']) expect(contextSaysFalse(off)).toBe(true);
    for (const on of [undefined, true, 'true', '', 'no', 0]) expect(contextSaysFalse(on)).toBe(false);
  });

  it('publishes only through the IAM-only mutations of the schema', () => {
    const schema = buildSchema(readSchemaSDL(repoRoot));
    const iamOnly = Object.values(schema.getMutationType()!.getFields())
      .filter((f) => f.astNode?.directives?.map((d) => d.name.value).join() === 'aws_iam')
      .map((f) => f.name);
    expect(iamOnly.sort()).toEqual(['publishBookingChange', 'publishSlotChange']);
    for (const [name, wiring] of Object.entries(functions) as Array<[FunctionName, (typeof functions)[FunctionName]]>) {
      if (!wiring.grants.includes('api:publish')) continue;
      const roleId = (props(functionId(name)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const resources = statementsOf(roleId)
        .filter((st) => [st.Action].flat().includes('appsync:GraphQL'))
        .flatMap((st) => [st.Resource].flat())
        .map((r) => JSON.stringify(r));
      expect(resources).toHaveLength(iamOnly.length);
      for (const field of iamOnly) expect(resources.some((r) => r.includes(`/types/Mutation/fields/${field}"`))).toBe(true);
    }
  });
});

describe('event source mappings', () => {
  const mappingsOf = (name: FunctionName) =>
    ofType('AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: functionId(name) }));

  it('has exactly one mapping per wiring event source', () => {
    expect(ofType('AWS::Lambda::EventSourceMapping')).toHaveLength(eventSources.length);
  });

  for (const source of eventSources) {
    it(`${source.kind} → ${source.function}: batching, filters, retries and destination from the wiring`, () => {
      const [m, ...others] = mappingsOf(source.function);
      expect(others).toHaveLength(0);
      expect(m.BatchSize).toBe(source.batchSize);
      expect(m.MaximumBatchingWindowInSeconds).toBe(source.maxBatchingWindowSeconds);
      expect(m.FunctionResponseTypes).toEqual(source.reportBatchItemFailures ? ['ReportBatchItemFailures'] : undefined);
      if (source.kind === 'sqs') {
        expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': [queueId(source.queue), 'Arn'] });
        expect(m.ScalingConfig).toEqual({ MaximumConcurrency: source.maxConcurrency });
        return;
      }
      expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId(), 'StreamArn'] });
      expect(m.StartingPosition).toBe(source.startingPosition);
      const filters = (m.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map((f) => JSON.parse(f.Pattern));
      expect(filters).toEqual(source.filters);
      expect(m.BisectBatchOnFunctionError).toBe(source.bisectBatchOnError);
      expect(m.MaximumRetryAttempts).toBe(source.retryAttempts);
      expect(m.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId(source.onFailureQueue), 'Arn'] } } });
    });
  }

  // The tests above compare the template with the wiring, which an edit would carry along with it:
  // the choices the issue fixes are written out here.
  it('keeps the fixed choices: 3 receives before the DLQ, partial failures, TTL-only hold expiry, bounded stream retries', () => {
    expect((props(queueId('bookings')).RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(3);
    expect(mappingsOf('booking-processor')[0].FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const [expiry] = mappingsOf('expiry-processor');
    expect((expiry.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { Keys: { PK: { S: [{ prefix: 'HOLD#' }] } } },
      },
    ]);
    for (const name of ['expiry-processor', 'change-publisher'] as const) {
      const [m] = mappingsOf(name);
      expect(m.BisectBatchOnFunctionError, name).toBe(true);
      expect(m.MaximumRetryAttempts, name).toBeGreaterThan(0);
      expect(m.MaximumRetryAttempts, name).toBeLessThanOrEqual(10);
      expect(m.DestinationConfig, name).toBeDefined();
    }
  });
});

describe('SQS trigger checks', () => {
  const [sqs] = eventSources.filter((source) => source.kind === 'sqs');

  it('keep each queue\'s batches in flight within its function\'s reserved concurrency, and its visibility at six timeouts', () => {
    expect(sqs.maxConcurrency).toBeLessThanOrEqual(functions[sqs.function].concurrency);
    expect(queues[sqs.queue].visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * functions[sqs.function].timeoutSeconds);
    expect(() => checkSqsSource(sqs)).not.toThrow();
  });

  it('refuse a trigger that could be throttled, or a maximum concurrency Lambda refuses', () => {
    const concurrency = functions[sqs.function].concurrency;
    expect(() => checkSqsSource({ ...sqs, maxConcurrency: concurrency + 1 })).toThrow(`maxConcurrency ${concurrency + 1} exceeds the function's concurrency ${concurrency}`);
    expect(() => checkSqsSource({ ...sqs, maxConcurrency: 1 })).toThrow('maxConcurrency must be an integer from 2 to 1000, got 1');
  });
});

describe('GraphQL API', () => {
  it('uses the wiring auth modes, environment, field logs with a role, and X-Ray', () => {
    const api = props(apiId());
    expect(api.Name).toBe(apiWiring.name);
    expect(api.AuthenticationType).toBe(apiWiring.defaultAuth);
    expect(api.UserPoolConfig).toMatchObject({ UserPoolId: { Ref: logicalId(s.stack.users.userPool) }, DefaultAction: 'ALLOW' });
    expect((api.AdditionalAuthenticationProviders as Json[]).map((p) => p.AuthenticationType)).toEqual(apiWiring.additionalAuth);
    expect(api.EnvironmentVariables).toEqual(
      Object.fromEntries(Object.entries(apiWiring.environment).map(([k, v]) => [k, expectedEnv(v)])),
    );
    const logs = api.LogConfig as { CloudWatchLogsRoleArn: { 'Fn::GetAtt': [string, string] }; FieldLogLevel: string; ExcludeVerboseContent: boolean };
    // ERROR (FIELD_LOG_LEVEL): only failing fields' request/response; ALL would log every field's, with the users' data.
    expect(logs.FieldLogLevel).toBe('ERROR');
    expect(logs.ExcludeVerboseContent).toBe(true);
    expect(actionsOf(logs.CloudWatchLogsRoleArn['Fn::GetAtt'][0])).toEqual(
      expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']),
    );
    expect(api.XrayEnabled).toBe(true);
    expect(ofType('AWS::AppSync::ApiKey')).toHaveLength(1);
  });

  it('gives the API key close to a year, AppSync\'s maximum (364 days from synth)', () => {
    const [[, key]] = ofType('AWS::AppSync::ApiKey');
    expect(key.Properties.Expires).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 360 * 24 * 60 * 60);
  });

  it('deploys schema/schema.graphql as is', async () => {
    const { readDeployedSchema } = await import('../../infra/schema.ts');
    const [[, schema]] = ofType('AWS::AppSync::GraphQLSchema');
    expect(schema.Properties.Definition).toBe(readDeployedSchema(repoRoot));
  });

  it('has the wiring data sources, each on its target', () => {
    const deployed = ofType('AWS::AppSync::DataSource').map(([, r]) => r.Properties);
    expect(deployed.map((d) => d.Name).sort()).toEqual(Object.keys(dataSources).sort());
    for (const [name, wiring] of Object.entries(dataSources)) {
      const ds = deployed.find((d) => d.Name === name)!;
      expect(ds.Type).toBe(wiring.kind);
      if (wiring.kind === 'AMAZON_DYNAMODB') expect(ds.DynamoDBConfig).toMatchObject({ TableName: { Ref: tableId() } });
      if (wiring.kind === 'AWS_LAMBDA') {
        expect(ds.LambdaConfig).toEqual({ LambdaFunctionArn: { 'Fn::GetAtt': [functionId(wiring.function), 'Arn'] } });
      }
    }
  });

  it('has every discovered resolver and pipeline function, with its data source, runtime and bundled code', () => {
    const resolvers = ofType('AWS::AppSync::Resolver').map(([, r]) => r.Properties);
    const fnConfigs = ofType('AWS::AppSync::FunctionConfiguration');
    expect(resolvers).toHaveLength(s.specs.length);
    expect(fnConfigs).toHaveLength(s.specs.reduce((n, spec) => n + spec.functions.length, 0));
    const runtime = { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' };
    for (const spec of s.specs) {
      const r = resolvers.find((x) => x.TypeName === spec.typeName && x.FieldName === spec.fieldName);
      expect(r, `${spec.typeName}.${spec.fieldName}`).toBeDefined();
      expect(r!.Kind).toBe(spec.kind);
      expect(r!.Runtime).toEqual(runtime);
      expect(r!.Code).toBe(spec.entry ? s.code.get(spec.entry) : PIPELINE_PASS_THROUGH_CODE);
      if (spec.kind === 'UNIT') {
        expect(r!.DataSourceName).toBe(spec.dataSource);
        continue;
      }
      const ids = (r!.PipelineConfig as { Functions: Array<{ 'Fn::GetAtt': [string, string] }> }).Functions.map((f) => f['Fn::GetAtt'][0]);
      expect(ids.map((id) => props(id).Name)).toEqual(spec.functions.map((f) => f.name));
      spec.functions.forEach((fn, i) => {
        const config = props(ids[i]);
        expect(config.Runtime).toEqual(runtime);
        expect(config.DataSourceName).toBe(fn.dataSource);
        expect(config.Code).toBe(s.code.get(fn.entry));
      });
    }
  });
});

describe('user pool', () => {
  it('has the wiring groups, a strong password policy and the Plus plan with threat protection enforced', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties.GroupName);
    expect(groups.sort()).toEqual([...apiWiring.userPoolGroups].sort());
    const pool = props(logicalId(s.stack.users.userPool));
    expect(pool.Policies).toMatchObject({
      PasswordPolicy: { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true },
    });
    expect(pool.UserPoolTier).toBe('PLUS');
    // StandardThreatProtectionMode.FULL_FUNCTION: Cognito acts on the sign-in risks it detects; AUDIT would only log them.
    expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    const [[, client], ...others] = ofType('AWS::Cognito::UserPoolClient');
    expect(others).toHaveLength(0);
    // SRP only, no OAuth flows: no hosted UI, so no implicit grant to a placeholder callback.
    expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
  });

  it('gives the web client 1 h access and id tokens, a 30-day refresh token, and no user-existence errors', () => {
    expect(props(logicalId(s.stack.users.client))).toMatchObject({
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('WAF rate limit', () => {
  it('blocks over the wiring limits per IP with 429 and the RateLimited JSON body, on the API', () => {
    const [[aclId, acl]] = ofType('AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const [rule, signedRule, ...more] = acl.Properties.Rules as Array<{
      Statement: { RateBasedStatement: Json };
      Action: { Block: { CustomResponse: { ResponseCode: number; CustomResponseBodyKey: string } } };
    }>;
    expect(more).toHaveLength(0);
    // SigV4-signed requests (change-publisher's publishes, from shared Lambda egress IPs) have
    // their own, higher limit; everything else has the clients' limit.
    // Signed means SigV4's Authorization and no x-api-key (else public reads could carry a forged one).
    const signed = {
      AndStatement: {
        Statements: [
          {
            ByteMatchStatement: {
              FieldToMatch: { SingleHeader: { Name: 'authorization' } },
              PositionalConstraint: 'STARTS_WITH',
              SearchString: 'AWS4-HMAC-SHA256',
              TextTransformations: [{ Priority: 0, Type: 'NONE' }],
            },
          },
          {
            NotStatement: {
              Statement: {
                SizeConstraintStatement: {
                  FieldToMatch: { SingleHeader: { Name: 'x-api-key' } },
                  ComparisonOperator: 'GT',
                  Size: 0,
                  TextTransformations: [{ Priority: 0, Type: 'NONE' }],
                },
              },
            },
          },
        ],
      },
    };
    expect(rule.Statement.RateBasedStatement).toEqual({
      Limit: apiWiring.rateLimit.limit,
      EvaluationWindowSec: apiWiring.rateLimit.windowSeconds,
      AggregateKeyType: 'IP',
      ScopeDownStatement: { NotStatement: { Statement: signed } },
    });
    expect(signedRule.Statement.RateBasedStatement).toEqual({
      Limit: apiWiring.rateLimit.signedLimit,
      EvaluationWindowSec: apiWiring.rateLimit.windowSeconds,
      AggregateKeyType: 'IP',
      ScopeDownStatement: signed,
    });
    expect(signedRule.Action).toEqual(rule.Action);
    const response = rule.Action.Block.CustomResponse;
    expect(response.ResponseCode).toBe(429);
    const body = (acl.Properties.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>)[response.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual(rateLimitedResponse.body);
    expect(JSON.parse(body.Content).errors[0].errorType).toBe('RateLimited');
    const [[, association]] = ofType('AWS::WAFv2::WebACLAssociation');
    expect(association.Properties).toEqual({ ResourceArn: { 'Fn::GetAtt': [apiId(), 'Arn'] }, WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
  });

  it('names each rule and its metric by the exported rule names, at distinct priorities (WAF requires them)', () => {
    const [[, acl]] = ofType('AWS::WAFv2::WebACL');
    const rules = acl.Properties.Rules as Array<{ Name: string; Priority: number; VisibilityConfig: { MetricName: string } }>;
    expect(rules.map((r) => r.Name)).toEqual([RATE_LIMIT_RULE_NAME, SIGNED_RATE_LIMIT_RULE_NAME]);
    for (const r of rules) expect(r.VisibilityConfig.MetricName).toBe(r.Name);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });
});

describe('outputs', () => {
  it('exports the endpoints, the API id, key and key id, pool ids, region, table name, alarm topic and the queues failed work waits in', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AlarmTopicArn', 'ApiKey', 'ApiKeyId', 'GraphqlApiId', 'GraphqlUrl', 'RealtimeUrl', 'Region', 'TableName', 'UserPoolClientId', 'UserPoolId',
        'BookingsQueueUrl', 'BookingsDlqUrl', 'BookingsDlqArn', 'StreamFailuresQueueUrl',
      ].sort(),
    );
    const queueId = (name: string) => {
      const [id] = Object.keys(s.template.findResources('AWS::SQS::Queue')).filter((logicalId) => new RegExp(`^Queues${name}[0-9A-F]{8}$`).test(logicalId));
      expect(id, name).toBeDefined();
      return id;
    };
    expect(outputs.BookingsQueueUrl.Value).toEqual({ Ref: queueId('Bookings') });
    expect(outputs.BookingsDlqUrl.Value).toEqual({ Ref: queueId('BookingsDlq') });
    expect(outputs.BookingsDlqArn.Value).toEqual({ 'Fn::GetAtt': [queueId('BookingsDlq'), 'Arn'] });
    expect(outputs.StreamFailuresQueueUrl.Value).toEqual({ Ref: queueId('StreamFailures') });
    expect(outputs.GraphqlUrl.Value).toEqual({ 'Fn::GetAtt': [apiId(), 'GraphQLUrl'] });
    expect(outputs.RealtimeUrl.Value).toEqual({ 'Fn::GetAtt': [apiId(), 'RealtimeUrl'] });
    expect(outputs.TableName.Value).toEqual({ Ref: tableId() });
    expect(outputs.GraphqlApiId.Value).toEqual({ 'Fn::GetAtt': [apiId(), 'ApiId'] });
    const [keyId] = Object.keys(s.template.findResources('AWS::AppSync::ApiKey'));
    expect(outputs.ApiKey.Value).toEqual({ 'Fn::GetAtt': [keyId, 'ApiKey'] });
    expect(outputs.ApiKeyId.Value).toEqual({ 'Fn::GetAtt': [keyId, 'ApiKeyId'] });
  });
});
