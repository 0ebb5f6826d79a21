import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startRegistry } from '../bootstrap.js';
import { loadConfig } from '../config/config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { imageCacheDir, imageDir, imageKey, imageVariant, type ImageVariant } from './first-start-image.js';

/**
 * Builds the first-start image this code lacks for the configuration the build runs with
 * (src/database/first-start-image.ts): `demo` by default, `regions` with QUANZE_DEMO_DATA=false;
 * the real start-up (migrations, region extract, demo county) in an empty folder, without an
 * administrator (each installation makes its own). Images that no longer match their variant's
 * hash are removed. Says what it did through `say`.
 */
export async function prepareFirstStartImage(say: (line: string) => void): Promise<void> {
  const cache = imageCacheDir();
  fs.mkdirSync(cache, { recursive: true });
  // QUANZE_DEMO_DATA read as the app reads it, nothing else (a JWT secret given: no file written).
  const variant = imageVariant(loadConfig({ QUANZE_DEMO_DATA: process.env.QUANZE_DEMO_DATA, JWT_SECRET: crypto.randomBytes(24).toString('hex') }).loadDemoData);
  const keys: Record<ImageVariant, string> = { regions: imageKey('regions'), demo: imageKey('demo') };
  const dir = imageDir(variant, keys[variant]);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) say(`first-start image ${variant} ${keys[variant]}: up to date`);
  else {
    const started = Date.now();
    await buildImage(variant, dir);
    say(`first-start image ${variant} ${keys[variant]}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const current = new Set(Object.entries(keys).map(([v, key]) => path.basename(imageDir(v as ImageVariant, key))));
  for (const entry of fs.readdirSync(cache)) {
    if (entry.startsWith('first-start-') && !current.has(entry)) fs.rmSync(path.join(cache, entry), { recursive: true, force: true });
  }
}

/** One image: built in a folder of its own, closed cleanly, then renamed into place (never seen half-built). */
async function buildImage(variant: ImageVariant, dir: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(path.dirname(dir), `building-${variant}-`));
  try {
    const pgdata = path.join(work, 'pgdata');
    fs.mkdirSync(pgdata);
    // Only what decides the content comes from here: not the environment of whoever runs the build.
    const config = loadConfig({
      QUANZE_DATA_DIR: work,
      JWT_SECRET: crypto.randomBytes(48).toString('base64url'),
      QUANZE_DEMO_DATA: String(variant === 'demo'),
    });
    const embedded = await startEmbeddedPostgres({ dataDir: pgdata, maxConnections: 3 });
    try {
      const registry = await startRegistry(config, { database: { url: embedded.url, engine: 'embedded' }, listen: false, logger: false, firstAdmin: false });
      await registry.stop();
    } finally {
      await embedded.stop();
    }
    try {
      fs.renameSync(pgdata, dir);
    } catch (e) {
      if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw e; // else a build running beside this one finished first
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
