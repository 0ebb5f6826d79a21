import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A file shipped in the project tree and read at run time (demo data, web assets), found from
 * the sources (src/common) and from a build (dist/src/common) alike: the first ancestor folder
 * holding `relativePath`.
 */
export function projectFile(relativePath: string): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relativePath);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relativePath} not found above ${here}`);
  }
}
