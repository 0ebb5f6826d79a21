import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { startRegistry } from '../../src/bootstrap.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { adminQuery, serverUrl, setTemplate, testConfig, withDatabase } from './test-database.js';

/** Builds the template every e2e test file clones: the real migrations, then the first-start seed. */
export async function buildTemplate(): Promise<void> {
  const started = Date.now();
  const config = testConfig();
  if (serverUrl()) {
    const name = `quanze_test_template_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);
    const registry = await startRegistry(config, { database: { url: withDatabase(serverUrl()!, name), engine: 'postgres' }, listen: false, logger: false });
    await registry.stop();
    setTemplate(name);
  } else {
    const embedded = await startEmbeddedPostgres({ maxConnections: 12 });
    const registry = await startRegistry(config, { database: { url: embedded.url, engine: 'embedded' }, listen: false, logger: false });
    await registry.stop();
    const dump = await embedded.db.dumpDataDir('none');
    const file = path.join(os.tmpdir(), `quanze-test-template-${process.pid}.tar`);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await embedded.stop();
    setTemplate(file);
  }
  console.log(`\ntest template (${serverUrl() ? 'PostgreSQL server' : 'embedded'}) built in ${Date.now() - started} ms`);
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
