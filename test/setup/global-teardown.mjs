import { execSync } from 'node:child_process';
import fs from 'node:fs';

export default async function globalTeardown() {
  const template = process.env.QUANZE_TEST_TEMPLATE;
  if (!template) return;
  if (process.env.DATABASE_URL) {
    execSync(`node -e "import('./dist/test/setup/test-database.js').then(m => m.adminQuery('DROP DATABASE IF EXISTS ${template} WITH (FORCE)'))"`, { stdio: 'inherit' });
  } else fs.rmSync(template, { force: true });
}
