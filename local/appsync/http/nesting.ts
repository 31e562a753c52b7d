// graphql-java, AppSync's parser, cancels a document nested more than 500 grammar rules deep;
// graphql-js, ours, recurses until the stack overflows (about 2,000 levels, an 8 KB query), which
// answered 500 over HTTP and stopped the server over WebSocket. Checked on the text before parsing.
// graphql-java's rules per nesting level are counted as: 3 for `{` or `(` (selectionSet,
// selection, field; arguments, argument, value), 2 for `[` (value, arrayValue), and 3 at the top
// (document, definition, operationDefinition). The exact count it reaches is UNCONFIRMED.
import type { AppSyncGraphQLError } from './errors.ts';

export const MAX_RULE_DEPTH = 500;
const TOP_RULES = 3;

/** AppSync's parse error for a document nested too deep, or null when it is not. */
export function nestingError(query: string): AppSyncGraphQLError | null {
  let rules = TOP_RULES;
  const opened: number[] = [];
  for (let i = 0; i < query.length; i += 1) {
    const c = query[i];
    if (c === '#') {
      while (i + 1 < query.length && query[i + 1] !== '\n' && query[i + 1] !== '\r') i += 1;
    } else if (c === '"') {
      i = skipString(query, i);
    } else if (c === '{' || c === '(' || c === '[') {
      const cost = c === '[' ? 2 : 3;
      rules += cost;
      opened.push(cost);
      if (rules > MAX_RULE_DEPTH) {
        const before = query.slice(0, i).split('\n');
        return {
          path: null,
          locations: [{ line: before.length, column: before[before.length - 1].length + 1, sourceName: null }],
          message: `Invalid Syntax : More than ${MAX_RULE_DEPTH} deep 'grammar' rules have been entered. To prevent Denial Of Service attacks, parsing has been cancelled.`,
        };
      }
    } else if (c === '}' || c === ')' || c === ']') {
      rules -= opened.pop() ?? 0;
    }
  }
  return null;
}

/** The index of the closing quote of the string opening at `start` (block strings too), or the end. */
function skipString(query: string, start: number): number {
  if (query.startsWith('"""', start)) {
    const end = query.indexOf('"""', start + 3);
    // An escaped \""" does not close a block string.
    let close = end;
    while (close > 0 && query[close - 1] === '\\') close = query.indexOf('"""', close + 3);
    return close < 0 ? query.length : close + 2;
  }
  for (let i = start + 1; i < query.length; i += 1) {
    if (query[i] === '\\') i += 1;
    else if (query[i] === '"' || query[i] === '\n') return i;
  }
  return query.length;
}
