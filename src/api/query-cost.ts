import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromAST,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What an operation will cost, estimated before it runs from the document and its variables:
 * every field costs 1, and a list multiplies what is selected inside it by the number of
 * elements it may return — its `first` argument, or the `first` of the field that holds it
 * (a connection's `edges`, an answer's `answers`), or the field's typical size from
 * `listEstimates`, or LIST_ESTIMATE when nothing bounds it.
 * Also collects every `first` argument, so that page sizes are checked before any SQL.
 */
export const LIST_ESTIMATE = 10;

export interface CostOptions {
  /** Typical length of lists that take no `first`: "Type.field" → elements. */
  listEstimates: Record<string, number>;
  /** `first` when a field that takes one is given none: "Type.field" → the service's default. */
  firstDefaults: Record<string, number>;
  /** Fallback default for a `first` argument not in firstDefaults. */
  defaultFirst: number;
}

export interface OperationCost {
  complexity: number;
  /** every `first` given, with the field that took it */
  pages: { field: string; first: number }[];
  /** whether the operation asks for the schema (`__schema` or `__type` at its root) */
  introspection: boolean;
}

const isIntrospectionRoot = (name: string) => name === '__schema' || name === '__type';

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  options: CostOptions,
): OperationCost {
  const pages: OperationCost['pages'] = [];
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  let introspection = false;

  const firstOf = (field: GraphQLField<unknown, unknown>, node: import('graphql').FieldNode, parent: GraphQLCompositeType): number | null => {
    const def = field.args.find((a) => a.name === 'first');
    if (!def) return null;
    const arg = node.arguments?.find((a) => a.name.value === 'first');
    const value = arg ? valueFromAST(arg.value, def.type, variables ?? {}) : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) {
      pages.push({ field: `${parent.name}.${field.name}`, first: value });
      return Math.max(0, value);
    }
    return options.firstDefaults[`${parent.name}.${field.name}`] ?? options.defaultFirst;
  };

  const cost = (set: SelectionSetNode, parent: GraphQLCompositeType, pending: number | null, root: boolean): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) {
          if (root && isIntrospectionRoot(name)) introspection = true;
          total += 1; // introspection has its own switches and depth limit
          continue;
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) continue; // unknown fields fail validation
        const first = firstOf(field, selection, parent);
        const isList = isListType(getNullableType(field.type));
        const named = getNamedType(field.type);
        const inner =
          selection.selectionSet && isCompositeType(named) ? cost(selection.selectionSet, named, isList ? null : first, false) : 0;
        const multiplier = isList ? (first ?? pending ?? options.listEstimates[`${parent.name}.${name}`] ?? LIST_ESTIMATE) : 1;
        total += 1 + multiplier * inner;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += cost(selection.selectionSet, type, pending, root);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || !isCompositeType(type) || visiting.has(fragment.name.value)) continue;
        const key = `${fragment.name.value}|${pending}|${root}`;
        if (!memo.has(key)) {
          visiting.add(fragment.name.value);
          memo.set(key, cost(fragment.selectionSet, type, pending, root));
          visiting.delete(fragment.name.value);
        }
        total += memo.get(key)!;
      }
    }
    return Math.min(total, Number.MAX_SAFE_INTEGER);
  };

  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const complexity = rootType ? cost(operation.selectionSet, rootType, null, true) : 0;
  return { complexity, pages, introspection };
}
