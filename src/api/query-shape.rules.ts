import { Kind, type FieldNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { limitError } from './limit-errors.js';

/**
 * Validation rules on the shape of a document, run by Apollo before anything executes (and
 * cached with the validated document). Fragments are followed with memoised results, so a
 * document whose fragments spread each other many times costs linear time to measure; cycles
 * are left to graphql's own NoFragmentCycles rule.
 */

/** Introspection (`__schema`, `__type`) is nested by nature; it is governed by its own switches and this depth. */
export const INTROSPECTION_MAX_DEPTH = 20;

const isIntrospectionRoot = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';

/** Depth of a selection set: the number of fields on its longest path (`{ a { b } }` is 2). */
function depthMeasurer(context: ValidationContext) {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (set: SelectionSetNode, skipIntrospection: boolean): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (skipIntrospection && isIntrospectionRoot(selection)) continue;
        deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, false) : 0));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, skipIntrospection));
      } else {
        const name = selection.name.value;
        const key = `${name}:${skipIntrospection}`;
        if (!memo.has(key)) {
          const fragment = context.getFragment(name);
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          memo.set(key, depthOf(fragment.selectionSet, skipIntrospection));
          visiting.delete(name);
        }
        deepest = Math.max(deepest, memo.get(key)!);
      }
    }
    return deepest;
  };
  return depthOf;
}

/** Refuses operations nested deeper than `max` fields (introspection: INTROSPECTION_MAX_DEPTH). */
export function depthLimitRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const depthOf = depthMeasurer(context);
      const depth = depthOf(operation.selectionSet, true);
      if (depth > max) {
        context.reportError(
          limitError('QUERY_TOO_DEEP', `查询嵌套深度为${depth}层，超过上限${max}层`, { setting: 'QUERY_MAX_DEPTH', max, depth }, 400, [operation]),
        );
        return;
      }
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD || !isIntrospectionRoot(selection) || !selection.selectionSet) continue;
        const introspectionDepth = 1 + depthOf(selection.selectionSet, false);
        if (introspectionDepth > INTROSPECTION_MAX_DEPTH)
          context.reportError(
            limitError('QUERY_TOO_DEEP', `内省查询嵌套深度为${introspectionDepth}层，超过上限${INTROSPECTION_MAX_DEPTH}层`, { max: INTROSPECTION_MAX_DEPTH, depth: introspectionDepth }, 400, [selection]),
          );
      }
    },
  });
}

/** Refuses operations with more than `max` aliased fields, counting a fragment once per spread. */
export function aliasLimitRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const memo = new Map<string, number>();
      const visiting = new Set<string>();
      const count = (set: SelectionSetNode): number => {
        let n = 0;
        for (const selection of set.selections) {
          if (selection.kind === Kind.FIELD) {
            if (selection.alias) n += 1;
            if (selection.selectionSet) n += count(selection.selectionSet);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            n += count(selection.selectionSet);
          } else {
            const name = selection.name.value;
            if (!memo.has(name)) {
              const fragment = context.getFragment(name);
              if (!fragment || visiting.has(name)) continue;
              visiting.add(name);
              memo.set(name, count(fragment.selectionSet));
              visiting.delete(name);
            }
            n += memo.get(name)!;
          }
          if (n > Number.MAX_SAFE_INTEGER / 4) break; // exponential fragment fan-out: far past any limit already
        }
        return n;
      };
      const aliases = count(operation.selectionSet);
      if (aliases > max)
        context.reportError(
          limitError('QUERY_TOO_MANY_ALIASES', `查询使用了${aliases}个别名，超过上限${max}个`, { setting: 'QUERY_MAX_ALIASES', max, aliases }, 400, [operation]),
        );
    },
  });
}
