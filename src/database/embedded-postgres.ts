import fs from 'node:fs';
import path from 'node:path';
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
  /** The wire-protocol server (stopping it alone makes the database unreachable, as tests of an outage do). */
  server: PGLiteSocketServer;
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

export class DataDirInUseError extends Error {}

/**
 * PGlite does not lock its data folder, and two processes on one folder would corrupt it: a lock
 * file holds the owner's pid. A lock left by a process that is gone (kill -9, power cut) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'quanze.lock');
  const owner = fs.existsSync(lockFile) ? Number(fs.readFileSync(lockFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner))
    throw new DataDirInUseError(`the embedded database in ${dataDir} is in use by process ${owner} (is Quanze already running?): stop it first`);
  fs.writeFileSync(lockFile, String(process.pid));
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  let unlock = () => {};
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
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
    server,
    async stop() {
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
