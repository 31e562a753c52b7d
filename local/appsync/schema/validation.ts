// Document validation with AppSync's messages. AppSync validates with graphql-java, whose messages
// clients see ("Validation error of type FieldUndefined: Field 'x' in type 'Query' is undefined @
// 'x'"); graphql-js finds the same faults, so each rule runs against a context that rewrites its
// reports into graphql-java's wording, with the field path and argument path it tracks.
import {
  FieldsOnCorrectTypeRule,
  GraphQLError,
  Kind,
  ValuesOfCorrectTypeRule,
  getEnterLeaveForKind,
  getNamedType,
  isIntrospectionType,
  isObjectType,
  specifiedRules,
  validate,
  type ASTNode,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type ObjectValueNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { IntrospectionSetting } from '../../../infra/api-limits.ts';

/** graphql-java's Value.toString(), which AppSync quotes in WrongType messages. */
export function javaValueString(node: ValueNode): string {
  switch (node.kind) {
    case Kind.STRING:
      return `StringValue{value='${node.value}'}`;
    case Kind.INT:
      return `IntValue{value=${node.value}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${node.value}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${node.value}}`;
    case Kind.ENUM:
      return `EnumValue{name='${node.value}'}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.VARIABLE:
      return `VariableReference{name='${node.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${node.values.map(javaValueString).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${node.fields
        .map((f) => `ObjectField{name='${f.name.value}', value=${javaValueString(f.value)}}`)
        .join(', ')}]}`;
  }
}

interface WalkState {
  fieldPath: string[];
  /** Where each variable was used: rules that report usages at the operation's end name this path. */
  usagePaths: Map<ASTNode, string>;
  argPath: string[];
  objects: ObjectValueNode[];
  current: ASTNode | null;
  context: ValidationContext;
}

const VALUE_KINDS = new Set<string>([
  Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.ENUM, Kind.NULL, Kind.LIST, Kind.OBJECT,
]);

function translateValueError(error: GraphQLError, s: WalkState, at: string): string {
  const arg = s.argPath.join('.');
  const node = s.current;
  if (node?.kind === Kind.OBJECT) {
    const missing = /of required type ".+" was not provided/.test(error.message)
      ? /^Field "[^.]+\.(\w+)"/.exec(error.message)?.[1]
      : undefined;
    if (missing) {
      return `Validation error of type WrongType: argument '${arg}' with value '${javaValueString(node)}' is missing required fields '[${missing}]' ${at}`;
    }
  }
  if (node?.kind === Kind.OBJECT_FIELD) {
    const parent = s.objects[s.objects.length - 1];
    const typeName = /is not defined by type "(\w+)"/.exec(error.message)?.[1] ?? '';
    const parentArg = s.argPath.slice(0, -1).join('.');
    const shown = parent ? javaValueString(parent) : '';
    return `Validation error of type WrongType: argument '${parentArg}' with value '${shown}' contains a field not in '${typeName}': '${node.name.value}' ${at}`;
  }
  const expected = s.context.getInputType();
  const typeName = expected ? getNamedType(expected).name : 'Unknown';
  const shown = node && VALUE_KINDS.has(node.kind) ? javaValueString(node as ValueNode) : '';
  return `Validation error of type WrongType: argument '${arg}' with value '${shown}' is not a valid '${typeName}' ${at}`;
}

const MESSAGE_RULES: Array<{ pattern: RegExp; render: (m: RegExpExecArray, at: string) => string }> = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"/,
    render: (m, at) => `Validation error of type FieldUndefined: Field '${m[1]}' in type '${m[2]}' is undefined ${at}`,
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "[\w.]+"/,
    render: (m, at) => `Validation error of type UnknownArgument: Unknown field argument ${m[1]} ${at}`,
  },
  {
    pattern: /^Field "\w+" argument "(\w+)" of type ".+" is required, but it was not provided/,
    render: (m, at) => `Validation error of type MissingFieldArgument: Missing field argument ${m[1]} ${at}`,
  },
  {
    pattern: /^Field "(\w+)" of type "(.+)" must have a selection of subfields/,
    render: (m, at) => `Validation error of type SubSelectionRequired: Sub selection required for type ${javaTypeName(m[2])} of field ${m[1]} ${at}`,
  },
  {
    pattern: /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields/,
    render: (m, at) => `Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type ${javaTypeName(m[2])} of field ${m[1]} ${at}`,
  },
  { pattern: /^Unknown type "(\w+)"/, render: (m) => `Validation error of type UnknownType: Unknown type ${m[1]}` },
  {
    pattern: /^Variable "\$(\w+)" is not defined/,
    render: (m, at) => `Validation error of type UndefinedVariable: Undefined variable ${m[1]} ${at}`,
  },
  { pattern: /^Variable "\$(\w+)" is never used/, render: (m) => `Validation error of type UnusedVariable: Unused variable ${m[1]}` },
  {
    pattern: /^Variable "\$\w+" of type "(.+)" used in position expecting type "(.+)"\./,
    render: (m, at) => `Validation error of type VariableTypeMismatch: Variable type '${m[1]}' doesn't match expected type '${m[2]}' ${at}`,
  },
];

/**
 * graphql-java prints a type by its name, and a list or non-null wrapper has none: AppSync says
 * "Sub selection required for type null of field items" for `[Item]` or `Item!`.
 */
function javaTypeName(printed: string): string {
  return /[[\]!]/.test(printed) ? 'null' : printed;
}

function translate(rule: ValidationRule, error: GraphQLError, s: WalkState): string {
  // NoUndefinedVariables and VariablesInAllowedPosition report when the operation ends, outside
  // any field; graphql-java names the field where the variable is used (@ 'item').
  const usage = error.nodes?.find((n) => n.kind === Kind.VARIABLE && s.usagePaths.has(n));
  const at = `@ '${usage ? s.usagePaths.get(usage) : s.fieldPath.join('/')}'`;
  if (rule === ValuesOfCorrectTypeRule) return translateValueError(error, s, at);
  for (const { pattern, render } of MESSAGE_RULES) {
    const m = pattern.exec(error.message);
    if (m) return render(m, at);
  }
  return error.message;
}

function withAppSyncMessages(rule: ValidationRule): ValidationRule {
  return (context) => {
    const state: WalkState = { fieldPath: [], usagePaths: new Map(), argPath: [], objects: [], current: null, context };
    const reporting = Object.create(context) as ValidationContext;
    reporting.reportError = (error: GraphQLError) => {
      const nodes = error.nodes ?? (state.current ? [state.current] : undefined);
      context.reportError(new GraphQLError(translate(rule, error, state), { nodes }));
    };
    const inner = rule(reporting);
    const track = (node: ASTNode, entering: boolean): void => {
      switch (node.kind) {
        case Kind.OPERATION_DEFINITION:
        case Kind.FRAGMENT_DEFINITION:
          state.fieldPath = [];
          break;
        case Kind.FIELD:
          if (entering) state.fieldPath.push(node.name.value);
          else state.fieldPath.pop();
          break;
        case Kind.ARGUMENT:
          state.argPath = entering ? [node.name.value] : [];
          break;
        case Kind.OBJECT_FIELD:
          if (entering) state.argPath.push(node.name.value);
          else state.argPath.pop();
          break;
        case Kind.OBJECT:
          if (entering) state.objects.push(node);
          else state.objects.pop();
          break;
        case Kind.VARIABLE:
          if (entering) state.usagePaths.set(node, state.fieldPath.join('/'));
          break;
        default:
      }
    };
    const visitor: ASTVisitor = {
      enter(node, ...rest) {
        track(node, true);
        state.current = node;
        const result = getEnterLeaveForKind(inner, node.kind).enter?.call(inner, node, ...rest);
        // A rule that skips a subtree never sees its leave: undo the tracking now.
        if (result === false) track(node, false);
        return result;
      },
      leave(node, ...rest) {
        state.current = node;
        const result = getEnterLeaveForKind(inner, node.kind).leave?.call(inner, node, ...rest);
        track(node, false);
        return result;
      },
    };
    return visitor;
  };
}

/**
 * Introspection DISABLED, as AppSync answers it: the introspection types lose their fields, the way
 * graphql-java's NoIntrospectionGraphqlFieldVisibility blocks every field of a type named `__…`.
 * `__schema` and `__type` still validate (graphql-java finds them without the visibility), but each
 * field selected in them is undefined: "Field 'types' in type '__Schema' is undefined @
 * '__schema/types'", the error AWS's configuration-limits page shows. `__typename` is no
 * introspection of the schema and answers everywhere. Nothing beneath an undefined field is
 * checked, as graphql-java does not know its type.
 */
export const IntrospectionDisabledRule: ValidationRule = (context) => ({
  Field(node) {
    const parent = context.getParentType();
    if (!parent || !isIntrospectionType(parent) || node.name.value === '__typename') return undefined;
    // A field the type does not have is FieldsOnCorrectTypeRule's to report: once, as graphql-java does.
    if (isObjectType(parent) && parent.getFields()[node.name.value] === undefined) return false;
    context.reportError(new GraphQLError(`Cannot query field "${node.name.value}" on type "${parent.name}".`, { nodes: node }));
    return false;
  },
});

const APPSYNC_RULES = specifiedRules.map(withAppSyncMessages);
const NO_INTROSPECTION_RULES = specifiedRules
  .flatMap((rule) => (rule === FieldsOnCorrectTypeRule ? [rule, IntrospectionDisabledRule] : [rule]))
  .map(withAppSyncMessages);

/**
 * graphql-js (16.11+) stops comparing overlapping fields past a complexity budget and reports only
 * "Validation aborted.", with nothing to say why; graphql-java has no such budget, so AppSync may
 * well accept the document. Said plainly instead.
 */
export const VALIDATION_ABORTED_MESSAGE =
  'Validation aborted: the document repeats or overlaps too many fields for the local validator (graphql-js stops at its complexity budget, AppSync may not). Select each field once.';

/**
 * Validates a parsed document; errors carry AppSync's messages and graphql-js locations. With
 * `introspection: 'DISABLED'` (the API's setting), selections of the schema's introspection fail.
 */
export function validateDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: { introspection?: IntrospectionSetting } = {},
): readonly GraphQLError[] {
  const rules = options.introspection === 'DISABLED' ? NO_INTROSPECTION_RULES : APPSYNC_RULES;
  return validate(schema, document, rules, { maxErrors: 100 }).map((error) =>
    error.message === 'Validation aborted.' ? new GraphQLError(VALIDATION_ABORTED_MESSAGE, { nodes: error.nodes }) : error,
  );
}
