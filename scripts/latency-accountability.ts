/**
 * `npm run latency:accountability`: first-time answers of one township, measured the simple way
 * (not the benchmark): Quanze on a fresh embedded database with the demo data, one question to
 * load the segmenter and the lexicon, then the first 50 distinct questions of
 * test/accountability/eval-set.json about 张渚镇, each asked once (no cache can answer it), over
 * HTTP; prints p50, p90 and the mean in milliseconds. Compare a before and an after build on the
 * same machine at the same time (the figures move with the machine's load).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRegistry } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/config.js';
import { loadEvalSet } from '../test/accountability/evaluation.js';

const TOWN = '320282100000';
const QUERY = `query($q: String!, $r: String!) { whoIsAccountable(question: $q, regionCode: $r) { answers { score item { itemCode name } townshipRole } } }`;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-latency-'));
  const config = loadConfig({ ...process.env, QUANZE_DATA_DIR: dataDir, PORT: '0', QUANZE_DEMO_DATA: 'true' });
  const registry = await startRegistry(config, { logger: false });
  const ask = async (q: string) => {
    const started = performance.now();
    const res = await fetch(`${registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { q, r: TOWN } }) });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return performance.now() - started;
  };
  try {
    const questions = [...new Set(loadEvalSet().filter((c) => c.regionCode === TOWN && !c.asOf).map((c) => c.question))].slice(0, 50);
    await ask('预热：村里有人乱搭棚子');
    const times: number[] = [];
    for (const q of questions) times.push(await ask(q));
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    console.log(`${times.length} first-time questions of ${TOWN}: p50 ${at(0.5).toFixed(1)} ms  p90 ${at(0.9).toFixed(1)} ms  mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)} ms`);
  } finally {
    await registry.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
