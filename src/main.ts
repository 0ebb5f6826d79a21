import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config.js';
import { openDatabase } from './database/open-database.js';
import { StartupPhases } from './common/startup-phases.js';

// Only what opens the database is imported above: the embedded engine starts in its thread while
// the app's code (bootstrap.js and all it imports, a bundle of its own in the build) loads.
async function main() {
  const phases = new StartupPhases(0); // from the process's start
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const database = openDatabase(config, { fromImage: true });
  database.catch(() => undefined); // failures surface where it is awaited (startRegistry)
  phases.mark('node');
  const { startRegistry, Logger } = await import('./bootstrap.js');
  phases.mark('loading the code');
  const registry = await startRegistry(config, { phases, database });
  const log = new Logger('Quanze');
  log.log(`Quanze 权责 is running on ${registry.engine === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'}`);
  log.log(`Portal:          ${registry.url}/  (ask who is accountable, browse the lists, print a proof)`);
  log.log(`Public GraphQL:  ${registry.url}/graphql`);
  log.log(`Admin GraphQL:   ${registry.url}/admin/graphql  (mutation { login(username, password) { token } }, then Authorization: Bearer <token>)`);
  if (config.adminUsername) log.log(`Administrator: ${config.adminUsername} (password from ADMIN_PASSWORD)`);
  else if (!config.databaseUrl) log.log(`Administrator: admin (password in ${config.dataDir}/admin-password)`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: finishing requests and closing the database`);
    try {
      await registry.stop();
      log.log('Stopped: requests finished, database closed');
      process.exit(0);
    } catch (e) {
      log.error(`Stopping failed: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
