import { getNamedType, getNullableType, GraphQLError, isListType, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * What an operation will cost, estimated before it runs from the document and its variables
 * (graphql-query-complexity walks the document; this file says what a field costs): every field
 * costs 1, and a list multiplies what is selected inside it by the number of elements it may
 * return — its `first` argument, or the field's typical size from `listEstimates`, or
 * LIST_ESTIMATE when nothing bounds it. A field that takes `first` but returns one object (a
 * connection, an answer) multiplies its whole selection by `first`, and the lists inside that
 * object then count once (their length is that `first`).
 * Also collects every `first` argument, so that page sizes are checked before any SQL.
 */
export const LIST_ESTIMATE = 10;
/** Fields visited (fragments once per spread) beyond which a document is refused as too complex unread. */
export const MAX_QUERY_NODES = 10_000;

export interface CostOptions {
  /** Typical length of lists that take no `first`: "Type.field" → elements. */
  listEstimates: Record<string, number>;
  /** `first` when a field that takes one is given none: "Type.field" → the service's default. */
  firstDefaults: Record<string, number>;
  /** Fallback default for a `first` argument not in firstDefaults. */
  defaultFirst: number;
}

export interface OperationCost {
  /** null: too large to estimate (more than MAX_QUERY_NODES fields to visit) */
  complexity: number | null;
  /** every `first` given, with the field that took it */
  pages: { field: string; first: number }[];
  /** whether the operation asks for the schema (`__schema` or `__type` at its root) */
  introspection: boolean;
}

/** Object types returned (not in a list) by a field taking `first`: their lists are as long as that `first`. */
function pagedTypes(schema: GraphQLSchema): Set<string> {
  const paged = new Set<string>();
  for (const type of Object.values(schema.getTypeMap()))
    if (isObjectType(type))
      for (const field of Object.values(type.getFields()))
        if (field.args.some((a) => a.name === 'first') && !isListType(getNullableType(field.type))) paged.add(getNamedType(field.type).name);
  return paged;
}
const pagedOf = new WeakMap<GraphQLSchema, Set<string>>();

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
  options: CostOptions,
): OperationCost {
  const pages: OperationCost['pages'] = [];
  let introspection = false;
  let paged = pagedOf.get(schema);
  if (!paged) pagedOf.set(schema, (paged = pagedTypes(schema)));
  const queryType = schema.getQueryType();

  const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const key = `${type.name}.${field.name}`;
    if (field.name.startsWith('__')) {
      if (type === queryType && (field.name === '__schema' || field.name === '__type')) introspection = true;
      return 1; // introspection has its own switches and depth limit
    }
    let first: number | null = null;
    if (field.args.some((a) => a.name === 'first')) {
      if (typeof args.first === 'number' && Number.isFinite(args.first)) {
        pages.push({ field: key, first: args.first });
        first = Math.max(0, args.first);
      } else first = options.firstDefaults[key] ?? options.defaultFirst;
    }
    const multiplier = isListType(getNullableType(field.type))
      ? (first ?? (paged.has(type.name) ? 1 : (options.listEstimates[key] ?? LIST_ESTIMATE)))
      : (first ?? 1);
    return Math.min(1 + multiplier * childComplexity, Number.MAX_SAFE_INTEGER);
  };

  try {
    const complexity = getComplexity({ schema, query: document, operationName, variables, estimators: [estimator], maxQueryNodes: MAX_QUERY_NODES });
    return { complexity, pages, introspection };
  } catch (e) {
    if (e instanceof GraphQLError && /maximum allowed number of nodes/.test(e.message)) return { complexity: null, pages, introspection };
    // Variables that do not fit the operation: GraphQL refuses them before anything executes.
    if (e instanceof GraphQLError) return { complexity: 0, pages, introspection };
    throw e;
  }
}
