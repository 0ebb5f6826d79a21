// Jest loads global setup outside its module mapper, so the template is built by the compiled
// sources (SWC, about a second) in a child process, which keeps them out of the tests' modules.
// dist/src/main.js is bundled as `npm run build` does (tests that run the real process run that),
// without building the first-start images: the template uses them only if a build made them.
import { execSync } from 'node:child_process';

export default async function globalSetup() {
  execSync("npx swc src migrations test/setup -d dist -q --ignore 'src/web/assets/**'", { stdio: 'inherit' });
  execSync('node scripts/build-start.mjs --no-images', { stdio: 'inherit' });
  const out = execSync('node dist/test/setup/template.js build', { stdio: ['ignore', 'pipe', 'inherit'], env: process.env }).toString();
  const template = /TEMPLATE=(.+)\s*$/.exec(out)?.[1];
  if (!template) throw new Error(`test template not built:\n${out}`);
  console.log(out.split('\n').find((l) => l.startsWith('test template')) ?? '');
  process.env.QUANZE_TEST_TEMPLATE = template.trim();
}
