/**
 * Whether an error means the database cannot be reached (stopped, restarting, refusing
 * connections, connection cut) rather than a fault of the request: the API then answers
 * SERVICE_UNAVAILABLE (HTTP 503) at once, and the next request tries a fresh connection.
 */
const SQLSTATES = new Set([
  '08000', '08001', '08003', '08004', '08006', '08007', // connection exceptions
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
  '53300', // too many connections
  '3D000', // the database does not exist (dropped, or not yet restored)
]);
const ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)|Client was closed and is not queryable|Cannot use a pool after calling end/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; thrownValue?: unknown; errors?: unknown[] } | undefined;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || ERRNOS.has(e.code))) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true; // AggregateError (IPv4 and IPv6 refused)
    // TypeORM's driverError, an Error's cause, graphql's NonErrorThrown wrapper (a value not instanceof its realm's Error)
    e = (e.driverError ?? e.cause ?? e.thrownValue) as typeof e;
  }
  return false;
}

/** What a client is told when the database cannot be reached (GraphQL and the REST doors alike): try again in a few seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const databaseUnavailableMessage = (correlationId: string) => `数据库暂时不可用，请稍后重试（错误编号 ${correlationId}）`;

/** PostgreSQL refused a text it cannot store: a NUL byte (22021) or a character outside the encoding (22P05). */
export function isUnstorableText(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return code === '22021' || code === '22P05';
}
