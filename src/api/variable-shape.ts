import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Longest value a variable of a short type may have (enum values, IDs, numbers, dates), and
 * longest name of an input field. GraphQL would otherwise coerce a 10 MB enum value by
 * computing "did you mean" distances against it (seconds of CPU, even with suggestions hidden)
 * and echo it back in the error; free text (String) is left to the services' own limits.
 */
export const MAX_SHORT_VALUE = 256;

/** The first variable value (as "$var.field[0]") too long for its type, or null. */
export function oversizedVariable(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): string | null {
  if (!variables) return null;
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type as Parameters<typeof typeFromAST>[1]) as GraphQLInputType | undefined;
    const name = definition.variable.name.value;
    if (type && name in variables) {
      const found = check(type, variables[name], `$${name}`);
      if (found) return found;
    }
  }
  return null;
}

function check(type: GraphQLInputType, value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return check(type.ofType, value, path);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      const found = check(type.ofType, items[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return null; // GraphQL refuses it, cheaply
    const fields = type.getFields();
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (!fields[key]) {
        if (key.length > 64) return `${path}.${key.slice(0, 20)}…`;
        continue;
      }
      const found = check(fields[key].type, inner, `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  const short = isEnumType(type) || (isScalarType(type) && type.name !== 'String');
  return short && typeof value === 'string' && value.length > MAX_SHORT_VALUE ? path : null;
}
