import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * graphql 16 lets a mutation through validation against a schema without a Mutation type and
 * fails it only at execution; refuse it up front so the public endpoint answers a clean 400.
 */
export const NoMutationsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== 'query') {
      context.reportError(new GraphQLError(`公开接口只读，不接受 ${node.operation} 操作`, { nodes: [node] }));
    }
  },
});
