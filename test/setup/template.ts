import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { startRegistry } from '../../src/bootstrap.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { findImage, imageVariant } from '../../src/database/first-start-image.js';
import { adminQuery, serverUrl, setTemplate, testConfig, withDatabase } from './test-database.js';

/**
 * Builds the template every e2e test file clones: the real migrations, then the first-start seed.
 * On the embedded engine it starts from the first-start image when `npm run build` made one for
 * this very code (src/database/first-start-image.ts): the same migrations and seed, run once.
 */
export async function buildTemplate(): Promise<void> {
  const started = Date.now();
  const config = testConfig();
  let from = '';
  if (serverUrl()) {
    const name = `quanze_test_template_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);
    const registry = await startRegistry(config, { database: { url: withDatabase(serverUrl()!, name), engine: 'postgres' }, listen: false, logger: false });
    await registry.stop();
    setTemplate(name);
  } else {
    const image = findImage(imageVariant(config.loadDemoData)).dir;
    const dataDir = image ? path.join(config.dataDir, 'pgdata') : undefined; // else in memory
    const embedded = await startEmbeddedPostgres({ dataDir, firstStartImage: image ?? undefined, maxConnections: 12 });
    const registry = await startRegistry(config, { database: { url: embedded.url, engine: 'embedded' }, listen: false, logger: false });
    await registry.stop();
    const file = path.join(os.tmpdir(), `quanze-test-template-${process.pid}.tar`);
    fs.writeFileSync(file, await embedded.dumpDataDir());
    await embedded.stop();
    if (image) from = ', from the first-start image';
    setTemplate(file);
  }
  fs.rmSync(config.dataDir, { recursive: true, force: true });
  console.log(`\ntest template (${serverUrl() ? 'PostgreSQL server' : 'embedded'}${from}) built in ${Date.now() - started} ms`);
}


// Run as a script by the global setup, in its own process so that the compiled sources never
// share a module registry with the tests: prints the template's name or path as the last line.
if (process.argv[1]?.endsWith('template.js') && process.argv[2] === 'build') {
  buildTemplate()
    .then(() => {
      process.stdout.write(`\nTEMPLATE=${process.env.QUANZE_TEST_TEMPLATE}\n`);
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
