// Selection sets as AppSync hands them to resolvers (ctx.info) and to subscribers: a path list
// with nested fields as "items/id" (response names: aliases as written, fragments flattened), and
// the selection set printed as GraphQL.
import {
  Kind,
  print,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;
const MAX_DEPTH = 64;

/** Fields of a selection set with fragments (inline and named) flattened, in document order. */
function* fieldsOf(selectionSet: SelectionSetNode, fragments: Fragments, seen: Set<string> = new Set()): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      // Validation rejects fragment cycles; the guard only keeps this generator total.
      if (fragment) yield* fieldsOf(fragment.selectionSet, fragments, new Set([...seen, selection.name.value]));
    }
  }
}

// Parsed documents are cached per query text, so a selection set node recurs across requests (and
// belongs to one document, hence one set of fragments): its list and text are computed once.
const listCache = new WeakMap<SelectionSetNode, readonly string[]>();
const textCache = new WeakMap<SelectionSetNode, string>();

export function selectionSetList(selectionSet: SelectionSetNode | undefined, fragments: Fragments): readonly string[] {
  if (!selectionSet) return [];
  let list = listCache.get(selectionSet);
  if (!list) listCache.set(selectionSet, (list = Object.freeze(computeSelectionSetList(selectionSet, fragments))));
  return list;
}

function computeSelectionSetList(selectionSet: SelectionSetNode, fragments: Fragments): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const field of fieldsOf(set, fragments)) {
      const name = `${prefix}${(field.alias ?? field.name).value}`;
      out.push(name);
      if (field.selectionSet) walk(field.selectionSet, `${name}/`, depth + 1);
    }
  };
  walk(selectionSet, '', 0);
  return out;
}

export function selectionSetGraphQL(selectionSet: SelectionSetNode | undefined): string {
  if (!selectionSet) return '';
  let text = textCache.get(selectionSet);
  if (text === undefined) textCache.set(selectionSet, (text = print(selectionSet)));
  return text;
}

/**
 * A field's result keyed by field names (aliases undone) and limited to the selected fields: what a
 * mutation publishes to subscribers, who receive only the fields the mutation selected.
 */
export function resultBySelection(value: unknown, selectionSet: SelectionSetNode | undefined, fragments: Fragments, depth = 0): unknown {
  if (value === null || value === undefined || !selectionSet || depth > MAX_DEPTH) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => resultBySelection(item, selectionSet, fragments, depth + 1));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(selectionSet, fragments)) {
    const key = (field.alias ?? field.name).value;
    if (!(key in source)) continue;
    out[field.name.value] = resultBySelection(source[key], field.selectionSet, fragments, depth + 1);
  }
  return out;
}

/**
 * util.error's `data` as AppSync returns it: filtered by the field's selection set the way graphql
 * collects fields (keyed by response name, fragments flattened, repeated fields' sub-selections
 * merged), lists item by item. Keys the data lacks stay absent rather than becoming null; a value
 * that is not an object passes as it is.
 */
export function dataBySelection(value: unknown, fieldNodes: readonly FieldNode[], fragments: Fragments): unknown {
  const sets = fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  return sets.length > 0 ? filterData(value, sets, fragments, 0) : (value ?? null);
}

function filterData(value: unknown, sets: readonly SelectionSetNode[], fragments: Fragments, depth: number): unknown {
  if (value === null || value === undefined || depth > MAX_DEPTH) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => filterData(item, sets, fragments, depth + 1));
  if (typeof value !== 'object') return value;
  const byKey = new Map<string, FieldNode[]>();
  for (const set of sets) {
    for (const field of fieldsOf(set, fragments)) {
      const key = (field.alias ?? field.name).value;
      const same = byKey.get(key);
      if (same) same.push(field);
      else byKey.set(key, [field]);
    }
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, fields] of byKey) {
    const name = fields[0].name.value;
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const subSets = fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    const filtered = subSets.length > 0 ? filterData(source[name], subSets, fragments, depth + 1) : source[name];
    // An alias is any GraphQL name, "__proto__" included: define it, never assign it.
    Object.defineProperty(out, key, { value: filtered, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The selected paths by field name (no aliases): the shape subscribers receive. */
export function fieldNamePaths(selectionSet: SelectionSetNode | undefined, fragments: Fragments): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const field of fieldsOf(set, fragments)) {
      const name = `${prefix}${field.name.value}`;
      if (!out.includes(name)) out.push(name);
      if (field.selectionSet) walk(field.selectionSet, `${name}/`, depth + 1);
    }
  };
  if (selectionSet) walk(selectionSet, '', 0);
  return out;
}

export function topLevelFields(selectionSet: SelectionSetNode, fragments: Fragments) {
  return [...fieldsOf(selectionSet, fragments)];
}
