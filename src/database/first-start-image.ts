import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regionDataDir } from '../modules/regions/region-extract.js';
import { demoDir } from '../seed/demo-files.js';

/**
 * The first-start image: a data folder of the embedded engine that the migrations and the
 * first-start seed have already run in, built by `npm run build` (scripts/build-start.mjs) and
 * copied into a new data folder instead of migrating and seeding there (~10 s saved).
 *
 * Its name carries a hash of everything that decides its content, read from the files that run:
 * the compiled code (migrations, entities, the seed and every service it goes through), the
 * region extract and the demo files, the installed versions of the dependencies (PGlite, the
 * segmenter…) and Node's. An image built by other code, data or engine is never found, so it
 * cannot be stale; a first start without a matching image migrates and seeds as before.
 */
export type ImageVariant = 'regions' | 'demo';

/** The variant a first start wants: the demo county on top of the regions, unless QUANZE_DEMO_DATA=false. */
export const imageVariant = (loadDemoData: boolean): ImageVariant => (loadDemoData ? 'demo' : 'regions');

/** The folder holding package.json and dist/, found from this module (dist/src/database or src/database). */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Where images are kept: a build cache that survives `rm -rf dist` and goes with `npm ci`. */
export const imageCacheDir = (root = projectRoot()) => path.join(root, 'node_modules', '.cache', 'quanze');

function filesUnder(dir: string, keep: (file: string) => boolean = () => true): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => keep(f) && fs.statSync(f).isFile())
    .sort();
}

export interface ImageInputs {
  root: string;
  /** The region extract and demo folders (by default where the app reads them). */
  dataDirs?: string[];
}

/**
 * The hash naming an image: every compiled file under dist/src and dist/migrations except the
 * entry dist/src/main.js (the build replaces it with a bundle of the others), the data folders,
 * the installed version of each dependency, Node's version and the variant.
 */
export function imageKey(variant: ImageVariant, inputs: ImageInputs = { root: projectRoot() }): string {
  const { root } = inputs;
  const dist = path.join(root, 'dist');
  const entry = path.join(dist, 'src', 'main.js');
  const code = [path.join(dist, 'src'), path.join(dist, 'migrations')].flatMap((d) => filesUnder(d, (f) => f.endsWith('.js') && f !== entry));
  if (!code.length) throw new Error(`no compiled code in ${dist}: run npm run build`);
  const hash = crypto.createHash('sha256').update(`variant ${variant}\nnode ${process.version}\n`);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) {
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    const version = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version : 'missing';
    hash.update(`dependency ${name} ${version}\n`);
  }
  for (const file of [...code, ...(inputs.dataDirs ?? [regionDataDir(), demoDir()]).flatMap((d) => filesUnder(d))]) {
    hash.update(`file ${path.relative(root, file)}\n`).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 20);
}

export const imageDir = (variant: ImageVariant, key: string, root = projectRoot()) => path.join(imageCacheDir(root), `first-start-${variant}-${key}`);

/** The image built by this code for `variant`, or null (with the hash, to say which one is missing). */
export function findImage(variant: ImageVariant): { dir: string | null; key: string } {
  const key = imageKey(variant);
  const dir = imageDir(variant, key);
  return { dir: fs.existsSync(path.join(dir, 'PG_VERSION')) ? dir : null, key };
}

/**
 * Copies an image's files into a data folder that has no database yet. PG_VERSION, which makes
 * PGlite open the folder instead of creating a database in it, is written last: a copy cut short
 * leaves a folder without it, which the next start empties and copies again.
 */
export function copyImage(image: string, dataDir: string): void {
  const marker = 'PG_VERSION';
  for (const entry of fs.readdirSync(image)) {
    if (entry !== marker) fs.cpSync(path.join(image, entry), path.join(dataDir, entry), { recursive: true, mode: fs.constants.COPYFILE_FICLONE });
  }
  fs.copyFileSync(path.join(image, marker), path.join(dataDir, marker));
}
