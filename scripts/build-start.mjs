#!/usr/bin/env node
// The second half of `npm run build`, after SWC has compiled src/ and migrations/ into dist/:
//
// 1. dist/src/main.js and dist/bundle/app.js become bundles of the app and most of its
//    dependencies (esbuild). Node 20 then reads a few files instead of ~2,600 at every start: about 1 s less
//    CPU per start on the 2-core machine (docs/performance.md, "Start-up"). The other dist/ files
//    stay as SWC wrote them (the CLI, the tests and the first-start build run those).
// 2. The first-start image of the embedded engine is built if this code has none yet
//    (src/database/first-start-image.ts): about 15 s, once per change of what decides it; the
//    demo county's, or with QUANZE_DEMO_DATA=false the regions-only one. Not with --no-images
//    (the tests' global setup).
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'src', 'main.js');

// Left out of the bundle and loaded from node_modules as before: WASM and native code found
// beside their package's files; pg, which typeorm loads with a runtime require() (a bundled copy
// beside it would be a second instance: pg's type parsers set by src/database/data-source.ts
// would not reach typeorm's).
const external = ['@electric-sql/*', '@node-rs/*', 'pg'];

/**
 * @nestjs/typeorm looks up two exports that TypeORM 1 no longer has with a runtime
 * require('typeorm'), which would load all of typeorm's ~300 files a second time beside the
 * bundled copy (~0.3 s): it reads them from the bundled copy instead (undefined all the same).
 */
const typeormCompat = {
  name: 'typeorm-compat',
  setup(b) {
    b.onLoad({ filter: /@nestjs[\\/]typeorm[\\/]dist[\\/]common[\\/]typeorm-compat\.js$/ }, async (args) => {
      const contents = await fs.promises.readFile(args.path, 'utf8');
      const lookup = "const typeorm = require('typeorm');";
      if (!contents.includes(lookup)) throw new Error(`${args.path} changed: see typeormCompat in scripts/build-start.mjs`);
      return { contents: `import * as typeormModule from 'typeorm';\n${contents.replace(lookup, 'const typeorm = typeormModule;')}`, loader: 'js' };
    });
  },
};

/** Optional packages that are not installed (Nest's microservices, fastify, ts-morph…) stay the runtime's business: it tries, and does without. */
const optionalMissing = {
  name: 'optional-missing',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'optional-missing') return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'optional-missing' });
      return found.errors.length ? { path: args.path, external: true } : found;
    });
  },
};

/**
 * Code that finds files relative to itself (import.meta.url) keeps finding them: in each bundled
 * module, import.meta.url becomes the URL of the file it came from, relative to the bundle's
 * files (both one folder below dist/: dist/src/main.js, dist/bundle/app.js).
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      const contents = await fs.promises.readFile(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      const relative = path.relative(path.join(root, 'dist', 'bundle'), args.path).split(path.sep).join('/');
      return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

// Two bundles: dist/src/main.js opens the database, then imports dist/bundle/app.js (bootstrap.js
// and all the app), so the embedded engine starts while the app loads. No code splitting: with
// it, esbuild turns a dynamic import() of a CommonJS package into a namespace holding only
// `default` (Nest's ValidationPipe then finds no class-transformer functions); a single file
// keeps Node's interop. The few modules both need (configuration, the engine) are in both.
const staging = fs.mkdtempSync(path.join(root, 'dist', '.bundle-'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  keepNames: true, // GraphQL type names and Nest's messages come from class names
  external,
  // CommonJS dependencies inside an ES module bundle still call require() for Node's modules.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
};
/** main.js's import of the app goes to the app's bundle. */
const appBundle = {
  name: 'app-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/bootstrap\.js$/ }, () => ({ path: '../bundle/app.js', external: true }));
  },
};
await build({ ...common, entryPoints: [entry], outfile: path.join(staging, 'src', 'main.js'), plugins: [appBundle, optionalMissing, keepModuleUrls] });
await build({ ...common, entryPoints: [path.join(root, 'dist', 'src', 'bootstrap.js')], outfile: path.join(staging, 'bundle', 'app.js'), plugins: [optionalMissing, typeormCompat, keepModuleUrls] });
// A bundled CommonJS module that uses __dirname or __filename would fail only when it runs: refuse it here.
for (const file of fs.readdirSync(staging, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
  const text = fs.readFileSync(path.join(staging, file), 'utf8');
  const located = /\b__(dirname|filename)\b/.exec(text);
  if (located) {
    console.error(`build: the bundle uses ${located[0]} (${text.slice(Math.max(0, located.index - 120), located.index + 40).replace(/\s+/g, ' ')}): add its package to "external" in scripts/build-start.mjs`);
    process.exit(1);
  }
}
fs.rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });
fs.renameSync(path.join(staging, 'bundle'), path.join(root, 'dist', 'bundle'));
fs.renameSync(path.join(staging, 'src', 'main.js'), entry);
fs.rmSync(staging, { recursive: true, force: true });

if (process.argv.includes('--no-images')) process.exit(0);
const { prepareFirstStartImage } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'database', 'first-start-build.js')).href);
await prepareFirstStartImage((line) => console.log(line));
