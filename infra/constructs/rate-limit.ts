// A regional WAF web ACL on the API: one rate-based rule per client IP from wiring.api.rateLimit;
// over the limit, WAF answers 429 with the RateLimited GraphQL-shaped body the local server also sends.
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { api as apiWiring, rateLimitedResponse } from '../wiring.ts';

/** WAF accepts only these evaluation windows for rate-based rules. */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;
export const WAF_MIN_RATE_LIMIT = 10;
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;
export const RATE_LIMITED_BODY_KEY = 'RateLimited';
export const RATE_LIMIT_RULE_NAME = 'rate-limit-per-ip';

export class ApiRateLimit extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { apiArn: string }) {
    super(scope, id);
    const { limit, windowSeconds } = apiWiring.rateLimit;
    if (!(WAF_EVALUATION_WINDOWS as readonly number[]).includes(windowSeconds)) {
      throw new Error(`rateLimit.windowSeconds must be one of ${WAF_EVALUATION_WINDOWS.join(', ')} (WAF), got ${windowSeconds}`);
    }
    if (!Number.isInteger(limit) || limit < WAF_MIN_RATE_LIMIT || limit > WAF_MAX_RATE_LIMIT) {
      throw new Error(`rateLimit.limit must be an integer in ${WAF_MIN_RATE_LIMIT}..${WAF_MAX_RATE_LIMIT} (WAF), got ${limit}`);
    }
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('slotsync-api'),
      customResponseBodies: {
        [RATE_LIMITED_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(rateLimitedResponse.body) },
      },
      rules: [
        {
          name: RATE_LIMIT_RULE_NAME,
          priority: 0,
          statement: { rateBasedStatement: { limit, evaluationWindowSec: windowSeconds, aggregateKeyType: 'IP' } },
          action: {
            block: { customResponse: { responseCode: rateLimitedResponse.statusCode, customResponseBodyKey: RATE_LIMITED_BODY_KEY } },
          },
          visibilityConfig: visibility(RATE_LIMIT_RULE_NAME),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.apiArn, webAclArn: this.webAcl.attrArn });
  }
}
