// The AppSync GraphQL API: schema file, auth modes, environment variables and execution limits
// (depth, resolver count, introspection) from the wiring, field logs into a log group this stack
// owns (through its own narrow role), and X-Ray.
import { Duration, Expiration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type AuthorizationMode,
  CfnApiKey,
  CfnGraphQLApi,
  Definition,
  FieldLogLevel,
  GraphqlApi,
  IntrospectionConfig,
  SchemaFile,
} from 'aws-cdk-lib/aws-appsync';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledge } from './nag.ts';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { SCHEMA_FILE } from '../schema.ts';
import { checkApiLimits } from '../api-limits.ts';
import { api as apiWiring, type AuthMode } from '../wiring.ts';
import { resolveEnvironment, type RefTargets } from './refs.ts';

/** ERROR: failing fields and their resolved request/response; headers stay out (excludeVerboseContent). */
export const FIELD_LOG_LEVEL = FieldLogLevel.ERROR;

export interface BookingApiProps {
  root: string;
  userPool: IUserPool;
  refs: Omit<RefTargets, 'api'>;
  removalPolicy: RemovalPolicy;
}

export class BookingApi extends Construct {
  readonly api: GraphqlApi;
  readonly apiKey: CfnApiKey;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BookingApiProps) {
    super(scope, id);
    const mode = (m: AuthMode) => authorizationMode(m, props.userPool);
    const { limits } = apiWiring;
    checkApiLimits(limits);
    this.api = new GraphqlApi(this, 'Api', {
      name: apiWiring.name,
      definition: Definition.fromSchema(SchemaFile.fromAsset(join(props.root, SCHEMA_FILE))),
      authorizationConfig: {
        defaultAuthorization: mode(apiWiring.defaultAuth),
        additionalAuthorizationModes: apiWiring.additionalAuth.map(mode),
      },
      environmentVariables: resolveEnvironment(apiWiring.environment, props.refs),
      queryDepthLimit: limits.queryDepthLimit,
      resolverCountLimit: limits.resolverCountLimit,
      introspectionConfig: IntrospectionConfig[limits.introspection],
      xrayEnabled: true,
    });
    const apiKey = this.api.node.tryFindChild('DefaultApiKey');
    if (!(apiKey instanceof CfnApiKey)) throw new Error('the wiring enables API_KEY auth, but the API has no key');
    this.apiKey = apiKey;

    // Logging configured on the L1: the L2's logConfig adds a log-retention custom-resource Lambda;
    // owning the group named /aws/appsync/apis/<id> sets retention without one.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    const logRole = new Role(this, 'LogRole', { assumedBy: new ServicePrincipal('appsync.amazonaws.com') });
    logRole.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: [this.logGroup.logGroupArn] }));
    this.logGroup.grantWrite(logRole);
    (this.api.node.defaultChild as CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: logRole.roleArn,
      fieldLogLevel: FIELD_LOG_LEVEL,
      excludeVerboseContent: true,
    };
    acknowledge(this.api, 'AwsSolutions-ASC3', 'Request logging is on; verbose content is excluded because it carries request headers (tokens, API key).');
  }
}

function authorizationMode(mode: AuthMode, userPool: IUserPool): AuthorizationMode {
  switch (mode) {
    case 'AMAZON_COGNITO_USER_POOLS':
      return { authorizationType: AuthorizationType.USER_POOL, userPoolConfig: { userPool } };
    case 'API_KEY':
      // Public reads from browsers: a year is AppSync's maximum; rotate by redeploying.
      return { authorizationType: AuthorizationType.API_KEY, apiKeyConfig: { expires: Expiration.after(Duration.days(364)) } };
    case 'AWS_IAM':
      return { authorizationType: AuthorizationType.IAM };
  }
}
