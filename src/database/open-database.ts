import fs from 'node:fs';
import path from 'node:path';
import type { QuanzeConfig } from '../config/config.js';
import type { DatabaseEngine } from './database.module.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { findImage, imageVariant } from './first-start-image.js';

/** How the embedded engine's data folder came to be: opened again, copied from the first-start image, or created. */
export type EmbeddedStart = 'restart' | 'first start from the image' | 'first start';

export interface OpenedDatabase {
  url: string;
  engine: DatabaseEngine;
  embedded?: EmbeddedPostgres;
  start?: EmbeddedStart;
  /** Said once the app can log: why a first start migrates and seeds in place. */
  notice?: string;
}

/**
 * Where the database is: the configured server, or the embedded engine started in the data folder.
 * `fromImage`: a data folder without a database starts as a copy of the first-start image
 * (src/database/first-start-image.ts) when one was built for this code; the app's start uses it,
 * the CLI does not. Light on purpose: the entry point opens the database while the app's code loads.
 */
export async function openDatabase(config: QuanzeConfig, options: { fromImage?: boolean } = {}): Promise<OpenedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, engine: 'postgres' };
  const dataDir = path.join(config.dataDir, 'pgdata');
  let start: EmbeddedStart = 'restart';
  let firstStartImage: string | undefined;
  let notice: string | undefined;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    start = 'first start';
    if (options.fromImage) {
      const image = findImage(imageVariant(config.loadDemoData));
      if (image.dir) [start, firstStartImage] = ['first start from the image', image.dir];
      else notice = `No first-start image for this build (${image.key}; npm run build prepares it): migrating and seeding here, 10–20 s`;
    }
  }
  const embedded = await startEmbeddedPostgres({ dataDir, maxConnections: config.dbPoolSize + 2, firstStartImage });
  return { url: embedded.url, engine: 'embedded', embedded, start, notice };
}
