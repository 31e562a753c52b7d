// The AMAZON_DYNAMODB data source: runs the request object an APPSYNC_JS request handler returned
// against DynamoDB (Local) and answers with what AppSync puts in ctx.result / ctx.error.
import { randomBytes } from 'node:crypto';
import type { DynamoDbWire } from '../../../dynamodb/wire.ts';
import type { DataSource, DataSourceOutcome } from '../types.ts';
import { batchDeleteItem } from './batchDeleteItem.ts';
import { batchGetItem } from './batchGetItem.ts';
import { batchPutItem } from './batchPutItem.ts';
import type { OperationContext } from './context.ts';
import { deleteItem } from './deleteItem.ts';
import { MappingTemplateError, toDataSourceError } from './errors.ts';
import { getItem } from './getItem.ts';
import { pageTokens } from './pageTokens.ts';
import { putItem } from './putItem.ts';
import { query } from './query.ts';
import { scan } from './scan.ts';
import { transactGetItems } from './transactGetItems.ts';
import { transactWriteItems } from './transactWriteItems.ts';
import { updateItem } from './updateItem.ts';
import { isPlainObject } from './values.ts';

export { MappingTemplateError } from './errors.ts';

export interface DynamoDbDataSourceOptions {
  dynamodb: DynamoDbWire;
  /** The data source's table; batch and transaction requests name their tables themselves. */
  tableName: string;
  /** 32 bytes sealing nextTokens; a random key per data source when omitted. */
  tokenKey?: Buffer;
}

type Operation = (request: unknown, ctx: OperationContext) => Promise<DataSourceOutcome>;

const OPERATIONS: Record<string, Operation> = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchPutItem: batchPutItem,
  BatchDeleteItem: batchDeleteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};

const VERSIONS = ['2017-02-28', '2018-05-29'];

export function createDynamoDbDataSource(options: DynamoDbDataSourceOptions): DataSource {
  const shared = {
    dynamodb: options.dynamodb,
    tableName: options.tableName,
    tokens: pageTokens(options.tokenKey ?? randomBytes(32)),
  };
  return {
    async invoke(request, _invocation, caller) {
      const ctx: OperationContext = { ...shared, caller: caller?.resolver ?? '' };
      try {
        return await operationOf(request)(request, ctx);
      } catch (err) {
        return { result: null, error: toDataSourceError(err) };
      }
    },
  };
}

function operationOf(request: unknown): Operation {
  if (!isPlainObject(request)) {
    throw new MappingTemplateError("Value for field '$[operation]' not found.");
  }
  const { operation, version } = request;
  if (version !== undefined && version !== null && !VERSIONS.includes(version as string)) {
    throw new MappingTemplateError(`Unsupported version '${String(version)}' in '$[version]'; use ${VERSIONS.join(' or ')}.`);
  }
  if (operation === undefined || operation === null) throw new MappingTemplateError("Value for field '$[operation]' not found.");
  if (operation === 'Sync') {
    throw new MappingTemplateError(
      'Sync needs a versioned data source (conflict detection, delta table), which the local AppSync runtime does not emulate.',
    );
  }
  const run = typeof operation === 'string' && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!run) throw new MappingTemplateError(`Unsupported operation '${String(operation)}'.`);
  return run;
}
