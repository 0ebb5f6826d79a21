import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo county's files, shipped in src/seed/demo (found from src/ or from dist/). */
export function demoFile(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'src', 'seed', 'demo', name);
    if (fs.existsSync(candidate)) return candidate;
    const beside = path.join(here, 'demo', name);
    if (fs.existsSync(beside)) return beside;
    if (path.dirname(dir) === dir) throw new Error(`demo file ${name} not found`);
  }
}

export const DEMO_COUNTY = '320282000000';
