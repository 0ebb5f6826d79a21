import pg from 'pg';

/**
 * Counts every statement a process sends through the `pg` driver (TypeORM uses it too), and can
 * record them (text and parameters) so that the bare server replays exactly what Quanze sent.
 * Imported first by both benchmark servers.
 */
export const sqlStats: { count: number; capture: { text: string; values: unknown[] }[] | null } = { count: 0, capture: null };

type Query = (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
  sqlStats.count++;
  if (sqlStats.capture) {
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    const params = Array.isArray(values) ? values : ((config as { values?: unknown[] } | null)?.values ?? []);
    if (text) sqlStats.capture.push({ text, values: params });
  }
  return original.call(this, config, values, callback);
};

/** Answers the orchestrator's IPC requests: CPU time, statement count, capture on/off. */
export function serveStats(extra: (message: Record<string, unknown>) => unknown = () => undefined): void {
  process.on('message', (message: Record<string, unknown>) => {
    const reply = (body: Record<string, unknown>) => process.send!({ id: message.id, ...body });
    switch (message.cmd) {
      case 'stats': {
        const cpu = process.cpuUsage();
        reply({ cpuMicros: cpu.user + cpu.system, statements: sqlStats.count, rss: process.memoryUsage().rss });
        break;
      }
      case 'capture':
        sqlStats.capture = [];
        reply({});
        break;
      case 'captured':
        reply({ statements: sqlStats.capture ?? [] });
        sqlStats.capture = null;
        break;
      default:
        reply({ result: extra(message) ?? null });
    }
  });
}
