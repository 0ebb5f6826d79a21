import fs from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * The embedded engine: PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire
 * protocol on 127.0.0.1, so the app talks to it with the same `pg` driver and SQL as to a
 * server. The extensions our migrations create must be loaded here.
 */
export interface EmbeddedPostgres {
  url: string;
  db: PGlite;
  stop(): Promise<void>;
}

export const embeddedExtensions = { btree_gist, pg_trgm };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  /** Data folder; undefined keeps the database in memory. */
  dataDir?: string;
  /** A data folder dumped with `dumpDataDir`, to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File;
  maxConnections: number;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, {
    extensions: embeddedExtensions,
    loadDataDir: options.loadDataDir,
  });
  const port = await freePort();
  // maxConnections defaults to 1: a pool would then fail with "Connection terminated unexpectedly".
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: options.maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
