// util.rds.toJsonObject: an RDS Data API result (object or its JSON string) to one list of records
// per SQL statement, each record keyed by column name (recorded AWS output: [[{...}, {...}]]).
import { isPlainObject, setOwn, utilFailure } from './errors.ts';

function fieldValue(field: unknown): unknown {
  if (!isPlainObject(field)) return null;
  if (field.isNull === true) return null;
  for (const key of ['stringValue', 'longValue', 'doubleValue', 'booleanValue', 'blobValue']) {
    if (Object.hasOwn(field, key)) return field[key];
  }
  if (isPlainObject(field.arrayValue)) {
    const arr = field.arrayValue;
    for (const key of ['stringValues', 'longValues', 'doubleValues', 'booleanValues']) {
      if (Array.isArray(arr[key])) return arr[key];
    }
    if (Array.isArray(arr.arrayValues)) return arr.arrayValues.map((a) => fieldValue({ arrayValue: a }));
  }
  return null;
}

export function rdsToJsonObject(input: unknown): unknown[][] | null {
  if (input === null || input === undefined) return null;
  let response: unknown = input;
  if (typeof input === 'string') {
    try {
      response = JSON.parse(input);
    } catch {
      return utilFailure('util.rds.toJsonObject: the value is not valid JSON');
    }
  }
  if (!isPlainObject(response) || !Array.isArray(response.sqlStatementResults)) {
    return utilFailure('util.rds.toJsonObject expects an RDS Data API response with sqlStatementResults');
  }
  return response.sqlStatementResults.map((statement) => {
    if (!isPlainObject(statement) || !Array.isArray(statement.records)) return [];
    const columns = Array.isArray(statement.columnMetadata) ? statement.columnMetadata : [];
    const names = columns.map((c, i) => (isPlainObject(c) ? String(c.name ?? c.label ?? i) : String(i)));
    return statement.records.map((record) => {
      const row: Record<string, unknown> = {};
      if (Array.isArray(record)) record.forEach((field, i) => setOwn(row, names[i] ?? String(i), fieldValue(field)));
      return row;
    });
  });
}
