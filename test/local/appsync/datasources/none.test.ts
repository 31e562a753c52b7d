// The NONE data source: the request's payload becomes ctx.result unchanged (resolver-reference-none-js).
import { describe, expect, it } from 'vitest';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import { invocation } from '../runtime/support.ts';

const none = createNoneDataSource();
const invoke = (request: unknown) => none.invoke(request, invocation('Mutation', 'publish'));

describe('NONE data source', () => {
  it('returns the payload unchanged', async () => {
    expect(await invoke({ version: '2018-05-29', payload: { id: 's-1', tags: ['a'] } })).toEqual({ result: { id: 's-1', tags: ['a'] } });
    expect(await invoke({ payload: 0 })).toEqual({ result: 0 });
  });

  it('returns null, not the request, when there is no payload', async () => {
    for (const request of [{}, { version: '2018-05-29' }, { payload: null }, null, 'payload', [{ payload: 1 }]]) {
      expect(await invoke(request)).toEqual({ result: null });
    }
  });
});
