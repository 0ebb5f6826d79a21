import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { copyImage } from './first-start-image.js';
import type { EmbeddedRequest, EmbeddedWorkerData } from './embedded-postgres.js';

/**
 * The embedded engine's thread (started by embedded-postgres.ts): PGlite and its wire-protocol
 * server. PostgreSQL's WASM runs here, beside the app's JavaScript rather than taking turns with
 * it: the engine opens while the app's code loads, and queries run on the second core.
 */
const options = workerData as EmbeddedWorkerData;
const port = parentPort!;

try {
  if (options.copyImage) copyImage(options.copyImage, options.dataDir!);
  const db = await PGlite.create(options.dataDir, {
    // The extensions our migrations create must be loaded here.
    extensions: { btree_gist, pg_trgm },
    loadDataDir: options.loadDataDir ? new Blob([fs.readFileSync(options.loadDataDir)]) : undefined,
  });
  // Port 0: the OS picks a free port when listening, so no other process can take it in between.
  // maxConnections defaults to 1: a pool would then fail with "Connection terminated unexpectedly".
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections });
  await server.start();
  port.postMessage({ ok: true, value: `postgres://postgres@${server.getServerConn()}/postgres` });

  port.on('message', async ({ id, op }: EmbeddedRequest) => {
    try {
      let value: unknown;
      if (op === 'stopSocket') await server.stop();
      else if (op === 'startSocket') await server.start();
      else if (op === 'dump') value = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
      else if (op === 'stop') {
        await server.stop();
        await db.close();
      }
      port.postMessage({ id, ok: true, value });
      if (op === 'stop') port.close();
    } catch (e) {
      port.postMessage({ id, ok: false, value: e instanceof Error ? e.message : String(e) });
    }
  });
} catch (e) {
  port.postMessage({ ok: false, value: e instanceof Error ? e.message : String(e) });
}
