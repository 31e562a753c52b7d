// util.transform.toElasticsearchQueryDSL: a filter object to an OpenSearch bool query (JSON string).
// Shape from the documented example: every field is {bool:{must:[...operators]}}, fields and `and`
// members are ANDed with bool.must, `or` members go to bool.should, `not` to bool.must_not.
// How a lone operator is wrapped is not in the documentation; it is wrapped like several.
import { isPlainObject, utilFailure } from './errors.ts';

const MAX_DEPTH = 32;

function operator(field: string, op: string, value: unknown): Record<string, unknown> {
  switch (op) {
    case 'eq': return { term: { [field]: value } };
    case 'ne': return { bool: { must_not: { term: { [field]: value } } } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': return { range: { [field]: { [op]: value } } };
    case 'range': {
      if (!Array.isArray(value) || value.length < 2) utilFailure(`toElasticsearchQueryDSL: range on '${field}' needs [from, to]`);
      return { range: { [field]: { gte: value[0], lte: value[1] } } };
    }
    case 'match': return { match: { [field]: value } };
    case 'matchPhrase': return { match_phrase: { [field]: value } };
    case 'matchPhrasePrefix': return { match_phrase_prefix: { [field]: value } };
    case 'multiMatch': return { multi_match: { query: value, fields: [field] } };
    case 'wildcard': return { wildcard: { [field]: value } };
    case 'regexp': return { regexp: { [field]: value } };
    case 'exists':
      if (typeof value !== 'boolean') utilFailure(`toElasticsearchQueryDSL: exists on '${field}' needs a boolean`);
      return value ? { exists: { field } } : { bool: { must_not: { exists: { field } } } };
    default:
      return utilFailure(`toElasticsearchQueryDSL: unsupported operator '${op}' on '${field}'`);
  }
}

function query(filter: unknown, depth: number): Record<string, unknown> {
  if (!isPlainObject(filter) || depth > MAX_DEPTH) utilFailure('toElasticsearchQueryDSL expects an object');
  const must: unknown[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) utilFailure(`toElasticsearchQueryDSL: '${key}' needs a list`);
      const members = value.map((m) => query(m, depth + 1));
      must.push({ bool: { [key === 'and' ? 'must' : 'should']: members } });
    } else if (key === 'not') {
      must.push({ bool: { must_not: query(value, depth + 1) } });
    } else {
      if (!isPlainObject(value)) utilFailure(`toElasticsearchQueryDSL: '${key}' needs an object of operators`);
      must.push({ bool: { must: Object.entries(value).map(([op, v]) => operator(key, op, v)) } });
    }
  }
  return { bool: { must } };
}

export function toElasticsearchQueryDSL(filter: unknown): string {
  return JSON.stringify(query(filter, 0));
}
