// A regional WAF web ACL on the API: rate-based rules per client IP from wiring.api.rateLimit, one
// for SigV4-signed requests (the backend's own publishes) and one for everything else; over a
// limit, WAF answers 429 with the RateLimited GraphQL-shaped body the local server also sends.
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { api as apiWiring, rateLimitedResponse, SIGV4_AUTHORIZATION_PREFIX } from '../wiring.ts';

/** WAF accepts only these evaluation windows for rate-based rules. */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;
export const WAF_MIN_RATE_LIMIT = 10;
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;
export const RATE_LIMITED_BODY_KEY = 'RateLimited';
export const RATE_LIMIT_RULE_NAME = 'rate-limit-per-ip';
export const SIGNED_RATE_LIMIT_RULE_NAME = 'rate-limit-signed-per-ip';

export class ApiRateLimit extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { apiArn: string }) {
    super(scope, id);
    const { limit, windowSeconds, signedLimit } = apiWiring.rateLimit;
    if (!(WAF_EVALUATION_WINDOWS as readonly number[]).includes(windowSeconds)) {
      throw new Error(`rateLimit.windowSeconds must be one of ${WAF_EVALUATION_WINDOWS.join(', ')} (WAF), got ${windowSeconds}`);
    }
    for (const [name, value] of [['limit', limit], ['signedLimit', signedLimit]] as const) {
      if (!Number.isInteger(value) || value < WAF_MIN_RATE_LIMIT || value > WAF_MAX_RATE_LIMIT) {
        throw new Error(`rateLimit.${name} must be an integer in ${WAF_MIN_RATE_LIMIT}..${WAF_MAX_RATE_LIMIT} (WAF), got ${value}`);
      }
    }
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    // Signed, and without an API key: any client can write a SigV4-looking Authorization, and were
    // an x-api-key beside it to authorize the request, public reads would escape the clients' limit.
    // A missing header is NOT(size > 0), WAF's documented test for absence.
    const signed = {
      andStatement: {
        statements: [
          {
            byteMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'authorization' } },
              positionalConstraint: 'STARTS_WITH',
              searchString: SIGV4_AUTHORIZATION_PREFIX,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          {
            notStatement: {
              statement: {
                sizeConstraintStatement: {
                  fieldToMatch: { singleHeader: { Name: 'x-api-key' } },
                  comparisonOperator: 'GT',
                  size: 0,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
        ],
      },
    };
    const block = {
      block: { customResponse: { responseCode: rateLimitedResponse.statusCode, customResponseBodyKey: RATE_LIMITED_BODY_KEY } },
    };
    const rule = (name: string, priority: number, ruleLimit: number, scopeDownStatement: object) => ({
      name,
      priority,
      statement: { rateBasedStatement: { limit: ruleLimit, evaluationWindowSec: windowSeconds, aggregateKeyType: 'IP', scopeDownStatement } },
      action: block,
      visibilityConfig: visibility(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('slotsync-api'),
      customResponseBodies: {
        [RATE_LIMITED_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(rateLimitedResponse.body) },
      },
      rules: [
        rule(RATE_LIMIT_RULE_NAME, 0, limit, { notStatement: { statement: signed } }),
        rule(SIGNED_RATE_LIMIT_RULE_NAME, 1, signedLimit, signed),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.apiArn, webAclArn: this.webAcl.attrArn });
  }
}
