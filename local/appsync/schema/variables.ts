// Variable checks with AppSync's messages ("Variable 'x' has an invalid value. Unable to parse
// `…` as a valid date.", "Variable 'id' has coerced Null value for NonNull type 'ID!'"). They run
// before execution so a bad variable answers like AppSync instead of with graphql-js's wording.
import {
  GraphQLError,
  coerceInputValue,
  isInputType,
  isNonNullType,
  print,
  typeFromAST,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

function nullMessage(name: string, typeStr: string): string {
  return `Variable '${name}' has coerced Null value for NonNull type '${typeStr}'`;
}

export function checkVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) continue; // reported by validation
    const typeStr = () => print(definition.type);
    const report = (message: string) => errors.push(new GraphQLError(message, { nodes: definition }));
    const provided = Object.prototype.hasOwnProperty.call(inputs, name);
    const value = inputs[name];
    if (!provided || value === null) {
      if (isNonNullType(type) && !(definition.defaultValue && !provided)) report(nullMessage(name, typeStr()));
      continue;
    }
    coerceInputValue(value, type, (path, _invalid, error) => {
      const message = error.message;
      const notNull = /^Expected non-nullable type "(.+)" not to be null/.exec(message);
      const missing = /^Field "\w+" of required type "(.+)" was not provided/.exec(message);
      const unknown = /^Field "(\w+)" is not defined by type "(\w+)"/.exec(message);
      if (notNull || missing) report(nullMessage(name, (notNull ?? missing)![1]));
      else if (unknown) {
        report(
          `Variable '${name}' has an invalid value. The variables input contains a field name '${unknown[1]}' that is not defined for input object type '${unknown[2]}'`,
        );
      } else {
        // AppSync names the innermost input field for a scalar that fails to parse.
        const field = [...path].reverse().find((p): p is string => typeof p === 'string') ?? name;
        report(`Variable '${field}' has an invalid value. ${message}`);
      }
    });
  }
  return errors;
}
