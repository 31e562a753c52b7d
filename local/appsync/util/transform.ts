// util.transform.
import { toElasticsearchQueryDSL } from './elasticsearch-query.ts';
import { toDynamoDBFilterExpression } from './filter-expression.ts';
import { toSubscriptionFilter } from './subscription-filter.ts';

export function createTransformUtils(): Record<string, unknown> {
  return {
    toDynamoDBFilterExpression,
    // Recorded AWS outputs are byte-identical for both entry points.
    toDynamoDBConditionExpression: toDynamoDBFilterExpression,
    toElasticsearchQueryDSL,
    toSubscriptionFilter,
  };
}
