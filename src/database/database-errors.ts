import { conflict } from '../common/domain-error.js';

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

/**
 * Database refusals that are the caller's conflict, not a server fault, as CONFLICT domain errors
 * (the constraints that keep versions apart, the immutability triggers, serialisation failures);
 * anything else is thrown again as it is.
 */
export function translateDatabaseError(e: unknown): never {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.driverError?.code ?? err.code;
  const constraint = err.driverError?.constraint ?? err.constraint;
  if (code === '23P01' && constraint === 'list_version_in_force_excl') throw conflict('该生效日期与已发布版本的有效期重叠');
  if (code === '23P01' || code === '23505') {
    if (constraint === 'list_version_one_open_uq') throw conflict('该清单已有未发布的版本，请先完成或撤回');
    throw conflict(`数据冲突（${constraint ?? code}），请刷新后重试`);
  }
  if (code === 'P0001') throw conflict('已发布的版本及其事项不可修改；如需更正，请创建新版本');
  if (code === '40001' || code === '40P01') throw conflict('并发操作冲突，请重试');
  throw e;
}
