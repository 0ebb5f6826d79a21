import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../auth/actor.js';
import { writeCsvRecords } from '../../common/csv.js';
import { DomainError } from '../../common/domain-error.js';
import { LIST_KINDS, type ListKind } from '../lists/duty-list.entity.js';
import type { RegionEntity } from '../regions/region.entity.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ImportOutcome, ImportService } from './import.service.js';
import { KIND_LABEL } from './sheet-writers.js';

/**
 * A county's folder of list files imported one by one (each file all or nothing, the folder not):
 * which township and which list each file is, read from its name; a progress bar while it runs;
 * a summary table, and every error, at the end.
 *
 * File names: the township by its 9- or 12-digit code (320282100-责任清单.xlsx), or by its name
 * within the county given by --county (张渚镇责任清单.csv; the short name 张渚 also works when no
 * other township of the county shares it). The list kind by --kind, or from the name: 权力 / power
 * → POWER, 责任 / 履职 / 职责 / responsibility → RESPONSIBILITY. Excel's lock files (~$…) and hidden files
 * are skipped.
 */
export interface FolderImportOptions {
  kind?: ListKind;
  county?: string;
  changeReason?: string;
  dryRun?: boolean;
  /** Discard each list's open version and replace it with the file's draft. */
  replaceOpenDraft?: boolean;
  /** Accept files that remove more than half of a list in force. */
  allowMassRemoval?: boolean;
}

export type FileStatus = 'IMPORTED' | 'VALID' | 'ERRORS' | 'REFUSED' | 'SKIPPED';

export interface FileResult {
  file: string;
  township: RegionEntity | null;
  kind: ListKind | null;
  status: FileStatus;
  outcome: ImportOutcome | null;
  /** Why the file was refused or skipped. */
  reason: string | null;
  ms: number;
}

export const STATUS_LABEL: Record<FileStatus, string> = { IMPORTED: '已导入', VALID: '校验通过', ERRORS: '有错误', REFUSED: '被拒绝', SKIPPED: '跳过' };

export function listSheetFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new Error(`cannot read the folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return names
    .filter((n) => /\.(csv|xlsx)$/i.test(n) && !n.startsWith('~$') && !n.startsWith('.'))
    .filter((n) => fs.statSync(path.join(dir, n)).isFile())
    .sort((a, b) => a.localeCompare(b, 'zh'));
}

export function kindFromName(name: string): ListKind | null {
  if (/权力|power/i.test(name)) return 'POWER';
  if (/责任|履职|职责|responsibility/i.test(name)) return 'RESPONSIBILITY';
  return null;
}

/** The township a file name names: a code, or a township name of the county. */
export async function townshipFromName(name: string, regions: RegionsService, countyTownships: RegionEntity[] | null): Promise<RegionEntity | string> {
  const code = /(?<!\d)(\d{12}|\d{9})(?!\d)/.exec(name)?.[1];
  if (code) {
    const region = await regions.findRegion(code);
    if (!region) return `文件名中的区划代码 ${code} 不存在`;
    if (region.level !== 'TOWNSHIP') return `文件名中的区划代码 ${code}（${region.name}）不是乡镇级区划`;
    return region;
  }
  if (!countyTownships) return '文件名中没有乡镇区划代码（如 320282100）；按乡镇名称识别请加 --county <县级代码>';
  const full = countyTownships.filter((t) => name.includes(t.name)).sort((a, b) => b.name.length - a.name.length);
  if (full.length) return full[0];
  const short = countyTownships.filter((t) => {
    const s = t.name.replace(/(镇|乡|街道|地区|办事处)$/, '');
    return s.length >= 2 && name.includes(s);
  });
  if (short.length === 1) return short[0];
  if (short.length > 1) return `文件名可能指 ${short.map((t) => t.name).join('、')}，请写全乡镇名称或区划代码`;
  return '文件名中没有本县乡镇的名称或区划代码';
}

export async function importFolder(
  dir: string,
  options: FolderImportOptions,
  deps: { actor: Actor; imports: ImportService; regions: RegionsService; progress?: (done: number, total: number, file: string) => void },
): Promise<FileResult[]> {
  if (options.kind && !LIST_KINDS.includes(options.kind)) throw new Error(`--kind must be POWER or RESPONSIBILITY, got ${options.kind}`);
  const files = listSheetFiles(dir);
  let countyTownships: RegionEntity[] | null = null;
  if (options.county) {
    const county = await deps.regions.requireRegion(options.county, 'county');
    countyTownships = await deps.regions.listRegions(county.code, 'TOWNSHIP');
  }
  const results: FileResult[] = [];
  for (const [i, file] of files.entries()) {
    deps.progress?.(i, files.length, file);
    const started = performance.now();
    const result: FileResult = { file, township: null, kind: options.kind ?? kindFromName(file), status: 'SKIPPED', outcome: null, reason: null, ms: 0 };
    const township = await townshipFromName(file, deps.regions, countyTownships);
    if (typeof township === 'string') result.reason = township;
    else result.township = township;
    if (!result.kind) result.reason ??= '无法判断清单类型：请用 --kind 指定，或在文件名中写明“权力清单”或“责任清单”';
    if (result.township && result.kind && !result.reason) {
      try {
        const outcome = await deps.imports.importList(deps.actor, {
          regionCode: result.township.code,
          kind: result.kind,
          fileName: file,
          content: fs.readFileSync(path.join(dir, file)),
          changeReason: options.changeReason,
          dryRun: options.dryRun,
          replaceOpenDraft: options.replaceOpenDraft,
          allowMassRemoval: options.allowMassRemoval,
        });
        result.outcome = outcome;
        result.status = outcome.errors.length ? 'ERRORS' : outcome.version ? 'IMPORTED' : 'VALID';
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        result.status = 'REFUSED';
        result.reason = e.message;
      }
    }
    result.ms = performance.now() - started;
    results.push(result);
  }
  deps.progress?.(files.length, files.length, '');
  return results;
}

/** Columns a terminal gives a character: two for CJK and full-width forms. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number, right = false) => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/** A plain-text table with aligned CJK columns (numbers right-aligned). */
export function renderTable(headers: string[], rows: string[][], numeric: boolean[]): string {
  const widths = headers.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (cells: string[]) => cells.map((cell, c) => pad(cell, widths[c], numeric[c])).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function summaryTable(results: FileResult[]): string {
  const headers = ['文件', '乡镇', '清单', '结果', '事项', '新增', '修改', '未变', '删除', '错误', '版本'];
  const numeric = [false, false, false, false, true, true, true, true, true, true, false];
  const rows = results.map((r) => {
    const o = r.outcome;
    const n = (x: number | undefined) => (o && !o.errors.length ? String(x ?? 0) : '');
    return [
      r.file,
      r.township ? `${r.township.name}` : '',
      r.kind ? KIND_LABEL[r.kind] : '',
      STATUS_LABEL[r.status],
      n(o?.itemsImported),
      n(o?.added),
      n(o?.changed),
      n(o?.unchanged),
      n(o?.removed),
      o?.errors.length ? String(o.errors.length) : '',
      o?.version ? `v${o.version.number} 草稿` : '',
    ];
  });
  const total = (f: (o: ImportOutcome) => number) => String(results.reduce((s, r) => s + (r.outcome && !r.outcome.errors.length ? f(r.outcome) : 0), 0));
  rows.push(['合计', '', '', `${results.filter((r) => r.status === 'IMPORTED' || r.status === 'VALID').length}/${results.length}`,
    total((o) => o.itemsImported), total((o) => o.added), total((o) => o.changed), total((o) => o.unchanged), total((o) => o.removed),
    String(results.reduce((s, r) => s + (r.outcome?.errors.length ?? 0), 0)), '']);
  return renderTable(headers, rows, numeric);
}

/** Every problem of every file as CSV (文件,行,列,说明), for the clerks who fix the files. */
export function problemsCsv(results: FileResult[]): string {
  const rows = [['文件', '行', '列', '说明']];
  for (const r of results) {
    if (r.reason) rows.push([r.file, '', '', r.reason]);
    for (const e of r.outcome?.errors ?? []) rows.push([r.file, String(e.row), e.column ?? '', e.message]);
  }
  return writeCsvRecords(rows);
}
