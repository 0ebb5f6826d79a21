/**
 * Quanze as the benchmark runs it: the production build (`startRegistry`, NODE_ENV=production,
 * no log lines), in its own process, with the statement counter and CPU reporting over IPC.
 */
import { serveStats } from './sql-counter.js';
import 'reflect-metadata';
import { startRegistry } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';

const registry = await startRegistry(loadConfig(), { logger: false });
serveStats();
process.send!({ ready: true, url: registry.url });
process.on('disconnect', () => void registry.stop().then(() => process.exit(0)));
