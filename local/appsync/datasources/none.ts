// The NONE data source: the request's `payload` becomes ctx.result unchanged
// (resolver-reference-none-js). Used for local-only resolvers and publish-only mutations.
import type { DataSource } from './types.ts';

export function createNoneDataSource(): DataSource {
  return {
    async invoke(request) {
      const payload = request !== null && typeof request === 'object' && !Array.isArray(request)
        ? (request as Record<string, unknown>).payload
        : undefined;
      return { result: payload ?? null };
    },
  };
}
