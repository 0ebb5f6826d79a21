// Drops the template built by the global setup. Plain `pg`, not dist/: a build elsewhere may have replaced dist.
import fs from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const template = process.env.QUANZE_TEST_TEMPLATE;
  if (!template) return;
  if (!process.env.DATABASE_URL) return fs.rmSync(template, { force: true });
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
