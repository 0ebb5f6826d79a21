import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, valueFromASTUntyped, type FieldNode } from 'graphql';
import type { GraphQLRequestContext } from '../../common/graphql-context.js';
import type { AccountabilityResultModel } from './accountability.model.js';
import type { QuestionLogService } from './question-log.service.js';

/**
 * On the public endpoint: every `whoIsAccountable` that was answered goes to the question log,
 * after the response is on its way (QuestionLogService.record only queues it). Answers computed
 * in the request come with their result; a response served whole from the response cache
 * (src/api/response-cache.plugin.ts) ran no resolver, so its questions are read from the
 * operation and their answers looked up when the log is written.
 */
export function questionLogPlugin(log: QuestionLogService): ApolloServerPlugin<GraphQLRequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const ctx = rc.contextValue;
          const body = rc.response.body;
          if (body.kind !== 'single' || !rc.operation || rc.operation.operation !== 'query') return;
          if (ctx.answeredQuestions) {
            for (const a of ctx.answeredQuestions)
              a.answered.then(
                (result) => log.record({ question: a.question, regionCode: a.regionCode, asOf: a.asOf, first: a.first, result: result as AccountabilityResultModel }),
                () => undefined, // refused (an empty question…): not a question to learn from
              );
            return;
          }
          if (body.singleResult.errors?.length || !body.singleResult.data) return;
          const variables = rc.request.variables ?? {};
          for (const selection of rc.operation.selectionSet.selections) {
            if (selection.kind !== Kind.FIELD || selection.name.value !== 'whoIsAccountable') continue;
            const args = argumentsOf(selection, variables);
            if (typeof args.question === 'string' && typeof args.regionCode === 'string')
              log.record({
                question: args.question,
                regionCode: args.regionCode,
                asOf: typeof args.asOf === 'string' ? args.asOf : null,
                first: typeof args.first === 'number' ? args.first : null,
              });
          }
        },
      };
    },
  };
}

function argumentsOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
  return args;
}
