// The legal catalogue as spreadsheets (docs/legal-catalogue.md): three kinds of table, told apart
// by their headers — 条文 (provisions), 条文对照 (crosswalk) and 废止 (repeals) — as sheets of one
// workbook or as separate CSV files. Pure: grids in, rows or the first problem (row and column) out.

import { badInput, DomainError } from '../../common/domain-error.js';
import { parseLegalBasis } from './citation-parser.js';
import { LEGAL_RANKS } from './legal-instrument.entity.js';
import { CROSSWALK_CHANGES, type CrosswalkChange } from './provision-crosswalk.entity.js';
import type { CatalogueImport, CatalogueRow, CrosswalkRow, RepealRow } from './legal.service.js';

export interface CatalogueGrid {
  name: string | null;
  rows: { number: number; cells: string[] }[];
}

export const PROVISION_COLUMNS = ['法规名称', '简称', '位阶', '制定机关', '文号', '施行日期', '条款', '条文'] as const;
export const CROSSWALK_COLUMNS = ['法规名称', '原施行日期', '原条款', '新施行日期', '新条款', '变化', '来源', '核实'] as const;
export const REPEAL_COLUMNS = ['法规名称', '废止日期', '替代法规'] as const;

/** 变化 as written in a file. */
const CHANGE_WORDS: Record<string, CrosswalkChange> = { 移动: 'MOVED', 调整: 'MOVED', 合并: 'MERGED', 拆分: 'SPLIT', 删除: 'DELETED' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Kind = 'provisions' | 'crosswalk' | 'repeals';

/** The header row (the first row naming 法规名称) and the kind of table it makes. */
function headerOf(grid: CatalogueGrid): { index: number; columns: Map<string, number>; kind: Kind } | null {
  for (let i = 0; i < Math.min(grid.rows.length, 10); i++) {
    const cells = grid.rows[i].cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
    if (!cells.includes('法规名称')) continue;
    const columns = new Map(cells.map((c, k) => [c, k] as [string, number]).filter(([c]) => c !== ''));
    const kind: Kind | null = columns.has('原条款') ? 'crosswalk' : columns.has('废止日期') ? 'repeals' : columns.has('位阶') ? 'provisions' : null;
    if (!kind) return null;
    return { index: i, columns, kind };
  }
  return null;
}

function where(grid: CatalogueGrid, row: number): string {
  return `${grid.name ? `工作表“${grid.name}”` : ''}第${row}行`;
}

/** A clause such as 第二十七条第三款 as (article, paragraph, item), or a problem. */
function clause(text: string, place: string, column: string): { article: number; paragraph: number | null; item: number | null } {
  const [c] = parseLegalBasis(text);
  if (!c || !c.parsed || c.article === null || c.instrumentTitle !== null)
    throw badInput(column, `${place}「${column}」“${text}”无法解析，应如“第六十五条”“第三十七条第二款”`);
  return { article: c.article, paragraph: c.paragraph, item: c.item };
}

function date(text: string, place: string, column: string, required: boolean): string | null {
  if (!text) {
    if (required) throw badInput(column, `${place}「${column}」不能为空，应为 YYYY-MM-DD`);
    return null;
  }
  if (!DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw badInput(column, `${place}「${column}」“${text}”应为 YYYY-MM-DD 的日期`);
  return text;
}

/** A problem of a catalogue file: where (sheet or file, row as Excel numbers it, column by its header) and what, in Chinese. */
export interface CatalogueProblem {
  sheet: string | null;
  row: number;
  column: string | null;
  message: string;
}

/**
 * Reads every grid and collects every problem, each bad row at its row and column (rows with a
 * problem are left out of the catalogue); a grid without a catalogue header is refused (thrown).
 */
export function readCatalogue(grids: CatalogueGrid[]): { catalogue: CatalogueImport; problems: CatalogueProblem[] } {
  const catalogue: CatalogueImport = { provisions: [], crosswalk: [], repeals: [] };
  const problems: CatalogueProblem[] = [];
  const problem = (grid: CatalogueGrid, row: number, e: unknown) => {
    if (!(e instanceof DomainError)) throw e;
    const field = typeof e.details.field === 'string' && e.details.field !== 'file' ? e.details.field : null;
    problems.push({ sheet: grid.name, row, column: field, message: e.message });
  };
  for (const grid of grids) {
    const header = headerOf(grid);
    // Not a catalogue table at all: the file is refused as a whole (a wrong file), not row by row.
    if (!header)
      throw badInput('file', `${grid.name ? `工作表“${grid.name}”` : '文件'}不是法规目录：表头应为 ${PROVISION_COLUMNS.join(',')}，或条文对照表 ${CROSSWALK_COLUMNS.join(',')}，或废止表 ${REPEAL_COLUMNS.join(',')}`);
    for (const row of grid.rows.slice(header.index + 1)) {
      const cell = (name: string) => {
        const k = header.columns.get(name);
        return k === undefined ? '' : (row.cells[k] ?? '').trim();
      };
      if (row.cells.every((c) => c.trim() === '')) continue;
      const place = where(grid, row.number);
      try {
        const title = cell('法规名称').replace(/^《|》$/g, '');
        if (!title) throw badInput('法规名称', `${place}「法规名称」不能为空`);
        if (header.kind === 'provisions') catalogue.provisions.push({ ...provisionRow(title, cell, place, row.number), sheet: grid.name });
        else if (header.kind === 'crosswalk') catalogue.crosswalk.push({ ...crosswalkRow(title, cell, place, row.number), sheet: grid.name });
        else catalogue.repeals.push({ ...repealRow(title, cell, place, row.number), sheet: grid.name });
      } catch (e) {
        problem(grid, row.number, e);
      }
    }
  }
  return { catalogue, problems };
}

/** Reads every grid; the first problem is thrown (the CLI and the demo data, which stop at it). */
export function catalogueFromGrids(grids: CatalogueGrid[]): CatalogueImport {
  const { catalogue, problems } = readCatalogue(grids);
  if (problems.length) throw badInput(problems[0].column ?? 'file', problems[0].message, { row: problems[0].row, sheet: problems[0].sheet });
  return catalogue;
}

function provisionRow(title: string, cell: (name: string) => string, place: string, row: number): CatalogueRow {
  const at = cell('条款') ? clause(cell('条款'), place, '条款') : null;
  if (at && !cell('条文')) throw badInput('条文', `${place}「条文」为空：有「条款」的行须有条文`);
  return {
    row,
    title,
    shortTitle: cell('简称') || null,
    rank: rankOf(cell('位阶'), place),
    enactingOrgan: cell('制定机关') || null,
    docNumber: cell('文号') || null,
    effectiveFrom: date(cell('施行日期'), place, '施行日期', false),
    article: at?.article ?? null,
    paragraph: at?.paragraph ?? null,
    item: at?.item ?? null,
    text: cell('条文') || null,
  };
}

function rankOf(text: string, place: string): string {
  if (!(LEGAL_RANKS as readonly string[]).includes(text)) throw badInput('位阶', `${place}「位阶」“${text}”无效，应为：${LEGAL_RANKS.join('、')}`);
  return text;
}

function crosswalkRow(title: string, cell: (name: string) => string, place: string, row: number): CrosswalkRow {
  const from = clause(cell('原条款'), place, '原条款');
  const to = cell('新条款') ? clause(cell('新条款'), place, '新条款') : null;
  const word = cell('变化');
  let change: CrosswalkChange | null = null;
  if (word) {
    change = CHANGE_WORDS[word] ?? ((CROSSWALK_CHANGES as readonly string[]).includes(word.toUpperCase()) ? (word.toUpperCase() as CrosswalkChange) : null);
    if (!change) throw badInput('变化', `${place}「变化」“${word}”无效，应为：${Object.keys(CHANGE_WORDS).join('、')}（或留空自动判断）`);
  }
  const verified = cell('核实');
  return {
    row,
    title,
    fromEffective: date(cell('原施行日期'), place, '原施行日期', false),
    fromArticle: from.article,
    fromParagraph: from.paragraph,
    toEffective: date(cell('新施行日期'), place, '新施行日期', true),
    toArticle: to?.article ?? null,
    toParagraph: to?.paragraph ?? null,
    change,
    source: cell('来源') || null,
    // 核实: 否 / 未核实 / no marks a number not checked against an official text.
    verified: !/^(否|未核实|no|false|n)$/i.test(verified),
  };
}

function repealRow(title: string, cell: (name: string) => string, place: string, row: number): RepealRow {
  return { row, title, repealedOn: date(cell('废止日期'), place, '废止日期', true)!, successorTitle: cell('替代法规').replace(/^《|》$/g, '') || null };
}
