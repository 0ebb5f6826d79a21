import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The embedded engine: PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire
 * protocol on 127.0.0.1, so the app talks to it with the same `pg` driver and SQL as to a
 * server. It runs in a worker thread of its own (embedded-postgres.worker.ts).
 */
export interface EmbeddedPostgres {
  url: string;
  /** Closes and reopens the wire-protocol server alone: the database unreachable, as tests of an outage need. */
  stopSocket(): Promise<void>;
  startSocket(): Promise<void>;
  /** The whole data folder as a tar file (PGlite's dumpDataDir), for `loadDataDir`. */
  dumpDataDir(): Promise<Uint8Array>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data folder; undefined keeps the database in memory. */
  dataDir?: string;
  /** A tar file written from `dumpDataDir`, to start from (tests start from a migrated template). */
  loadDataDir?: string;
  /** A data folder to copy into `dataDir` when it holds no database yet (src/database/first-start-image.ts). */
  firstStartImage?: string;
  maxConnections: number;
}

/** What the worker gets: the options, with the image only when it is to be copied. */
export interface EmbeddedWorkerData {
  dataDir?: string;
  loadDataDir?: string;
  copyImage?: string;
  maxConnections: number;
}

export interface EmbeddedRequest {
  id: number;
  op: 'stopSocket' | 'startSocket' | 'dump' | 'stop';
}

interface EmbeddedReply {
  id?: number;
  ok: boolean;
  value: unknown;
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

/** A data folder without PG_VERSION holds no database: left over from a start cut short, it is emptied (but for our lock). */
function holdsDatabase(dataDir: string): boolean {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return true;
  for (const entry of fs.readdirSync(dataDir)) if (entry !== 'quanze.lock') fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  return false;
}

/** The worker's compiled file: beside this one, or in dist/ when this one runs from the TypeScript sources (jest). */
function workerFile(): URL {
  const beside = new URL('./embedded-postgres.worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(beside))) return beside;
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf(`${path.sep}src${path.sep}`));
  return pathToFileURL(path.join(root, 'dist', 'src', 'database', 'embedded-postgres.worker.js'));
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  let unlock = () => {};
  const data: EmbeddedWorkerData = { dataDir: options.dataDir, loadDataDir: options.loadDataDir, maxConnections: options.maxConnections };
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
    if (options.firstStartImage && !holdsDatabase(options.dataDir)) data.copyImage = options.firstStartImage;
  }
  const worker = new Worker(workerFile(), { workerData: data });
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  let exited: Error | undefined;
  const started = new Promise<string>((resolve, reject) => pending.set(0, { resolve: (url) => resolve(url as string), reject }));
  worker.on('message', ({ id = 0, ok, value }: EmbeddedReply) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (ok) waiting?.resolve(value);
    else waiting?.reject(new Error(`embedded PostgreSQL: ${value}`));
  });
  const fail = (e: Error) => {
    exited = e;
    for (const waiting of pending.values()) waiting.reject(e);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`embedded PostgreSQL stopped (worker exit ${code})`)));
  let nextId = 1;
  const request = (op: EmbeddedRequest['op']) =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op } satisfies EmbeddedRequest);
    });
  let url: string;
  try {
    url = await started;
  } catch (e) {
    await worker.terminate();
    unlock();
    throw e;
  }
  return {
    url,
    stopSocket: async () => void (await request('stopSocket')),
    startSocket: async () => void (await request('startSocket')),
    dumpDataDir: async () => (await request('dump')) as Uint8Array,
    async stop() {
      if (!exited) await request('stop');
      await worker.terminate();
      unlock();
    },
  };
}
