/**
 * The stack's physical limit for a workload: a bare `http` + `pg` server that, for each request
 * body, sends exactly the statements Quanze sent for that body (recorded by the benchmark) on a
 * pool of the same size, and answers their rows as JSON. No framework, no GraphQL, no ORM.
 */
import { serveStats } from './sql-counter.js';
import http from 'node:http';
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value); // as Quanze does
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
let plans = new Map<string, { text: string; values: unknown[] }[]>();

serveStats((message) => {
  if (message.cmd === 'plans') {
    plans = new Map(message.plans as [string, { text: string; values: unknown[] }[]][]);
    return plans.size;
  }
  return undefined;
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const plan = plans.get(Buffer.concat(chunks).toString('utf8'));
    if (!plan) {
      res.writeHead(404).end();
      return;
    }
    try {
      const results: unknown[] = [];
      for (const s of plan) results.push((await pool.query(s.text, s.values as unknown[])).rows);
      const body = JSON.stringify({ data: results });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send!({ ready: true, url: `http://127.0.0.1:${process.env.PORT}` }));
process.on('disconnect', () => void pool.end().then(() => process.exit(0)));
