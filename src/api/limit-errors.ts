import { GraphQLError, type ASTNode } from 'graphql';

/**
 * Errors of the API's limits (QUERY_TOO_LARGE, QUERY_TOO_DEEP, QUERY_TOO_COMPLEX, RATE_LIMITED…), each
 * naming the limit that refused the request: `extensions.setting` names the environment variable
 * that sets it and `extensions.max` its value.
 */
export interface LimitDetails {
  /** the environment variable that sets this limit */
  setting?: string;
  max?: number;
  [key: string]: unknown;
}

const made = new WeakSet<GraphQLError>();

/** An error refusing a request before execution: HTTP `status`, a code and the limit's details. */
export function limitError(code: string, message: string, details: LimitDetails, status = 400, nodes?: readonly ASTNode[]): GraphQLError {
  const error = new GraphQLError(message, { nodes, extensions: { code, ...details, http: { status } } });
  made.add(error);
  return error;
}

/** Whether an error was made by limitError (its code and details go to the client as they are). */
export const isLimitError = (error: unknown): error is GraphQLError => error instanceof GraphQLError && made.has(error);

/** The body of an error answered outside Apollo (Express middleware), shaped like a GraphQL response. */
export const errorBody = (code: string, message: string, details: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code, ...details } }],
});
