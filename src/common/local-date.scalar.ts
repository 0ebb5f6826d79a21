import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date 'YYYY-MM-DD' that exists (2025-02-30 does not); null when it is not one. */
export function parseLocalDate(value: string): string | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? value : null;
}

/** Today in China (UTC+8), the calendar the lists are published in. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function parse(value: unknown): string {
  const date = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!date) throw new GraphQLError(`日期“${String(value)}”无效，应为 YYYY-MM-DD 格式的公历日期`, { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
}

/** `Date` in the API contract: an ISO calendar date, kept as a string end to end (no time zone shifts). */
export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'ISO calendar date, e.g. 2025-06-01',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('日期应为字符串 YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});
