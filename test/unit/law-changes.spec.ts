import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvGrid, readXlsxGrids } from '../../src/modules/import-export/sheet-readers.js';
import { findAlert } from '../../src/modules/basis-alerts/basis-alerts.service.js';
import { catalogueFromGrids, readCatalogue } from '../../src/modules/legal/catalogue-sheet.js';
import { citationText, mapThrough, replaceCitation, versionInForce, type CrosswalkEntry } from '../../src/modules/legal/crosswalk.js';
import type { CatalogueSnapshot } from '../../src/modules/legal/legal.service.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/legal-catalogue');
const csv = (name: string) => ({ ...readCsvGrid(readFileSync(join(FIXTURES, name), 'utf8')), name });

const V = [
  { id: 'v1996', effectiveFrom: '1996-10-01' },
  { id: 'v2021', effectiveFrom: '2021-07-15' },
  { id: 'v2030', effectiveFrom: '2030-01-01' },
];
const step = (from: string, to: string, fromArticle: number, toArticle: number | null, change: CrosswalkEntry['change'], fromParagraph: number | null = null, toParagraph: number | null = null): CrosswalkEntry =>
  ({ fromVersionId: from, toVersionId: to, fromArticle, fromParagraph, toArticle, toParagraph, change });

describe('crosswalk: where a cited number went', () => {
  it('finds the version in force on a date (undated versions count as the oldest)', () => {
    expect(versionInForce(V, '2000-01-01')?.id).toBe('v1996');
    expect(versionInForce(V, '2021-07-15')?.id).toBe('v2021');
    expect(versionInForce(V, '1990-01-01')).toBeNull();
    expect(versionInForce([{ id: 'x', effectiveFrom: null }], '1900-01-01')?.id).toBe('x');
  });

  it('follows a split, keeps the cited paragraph through a whole-article move, and chains versions', () => {
    const entries = [step('v1996', 'v2021', 20, 22, 'SPLIT'), step('v1996', 'v2021', 20, 23, 'SPLIT'), step('v2021', 'v2030', 23, 30, 'MOVED')];
    expect(mapThrough(V, entries, 'v1996', 'v2021', { article: 20, paragraph: null })).toEqual({
      positions: [{ article: 22, paragraph: null }, { article: 23, paragraph: null }], deleted: false, moved: true,
    });
    expect(mapThrough(V, entries, 'v1996', 'v2030', { article: 20, paragraph: 2 }).positions).toEqual([{ article: 22, paragraph: 2 }, { article: 30, paragraph: 2 }]);
    // A number no row names keeps its number.
    expect(mapThrough(V, entries, 'v1996', 'v2030', { article: 5, paragraph: 1 })).toEqual({ positions: [{ article: 5, paragraph: 1 }], deleted: false, moved: false });
  });

  it('prefers a paragraph row over its article row, and knows deletions and merges', () => {
    const entries = [step('v1996', 'v2021', 27, 30, 'MOVED'), step('v1996', 'v2021', 27, 31, 'MOVED', 3, 1), step('v1996', 'v2021', 8, null, 'DELETED'),
      step('v1996', 'v2021', 10, 12, 'MERGED'), step('v1996', 'v2021', 11, 12, 'MERGED')];
    expect(mapThrough(V, entries, 'v1996', 'v2021', { article: 27, paragraph: 3 }).positions).toEqual([{ article: 31, paragraph: 1 }]);
    expect(mapThrough(V, entries, 'v1996', 'v2021', { article: 27, paragraph: 2 }).positions).toEqual([{ article: 30, paragraph: 2 }]);
    expect(mapThrough(V, entries, 'v1996', 'v2021', { article: 8, paragraph: null })).toEqual({ positions: [], deleted: true, moved: false });
    expect(mapThrough(V, entries, 'v1996', 'v2021', { article: 11, paragraph: null }).positions).toEqual([{ article: 12, paragraph: null }]);
  });

  it('writes the proposed citation and puts it in place of the cited fragment only', () => {
    const proposed = citationText('中华人民共和国行政处罚法', [{ article: 22, paragraph: null }, { article: 23, paragraph: null }]);
    expect(proposed).toBe('《中华人民共和国行政处罚法》第二十二条、第二十三条');
    const basis = '《中华人民共和国土地管理法》第七十八条第一款、《中华人民共和国行政处罚法》第二十条';
    expect(replaceCitation(basis, '《中华人民共和国行政处罚法》第二十条', proposed)).toBe(`《中华人民共和国土地管理法》第七十八条第一款、${proposed}`);
    // A bare clause (inheriting the title) is replaced by bare clauses.
    expect(replaceCitation('《统计法》第二条；第二十七条第三款', '第二十七条第三款', '《统计法》第三十条第三款')).toBe('《统计法》第二条；第三十条第三款');
    expect(replaceCitation('《统计法》第二条', '第九条', '《统计法》第十条')).toBeNull();
  });
});

describe('findAlert: what a citation deserves', () => {
  const instrument = { id: 'i1', title: '测试乡镇管理条例', shortTitle: '测试条例', rank: '地方性法规', repealedOn: null, successorId: null } as never;
  const p = (id: string, versionId: string, article: number, text: string, paragraph: number | null = null) => ({ id, instrumentVersionId: versionId, article, paragraph, item: null, text });
  const catalogue = (extra: Partial<CatalogueSnapshot> = {}): CatalogueSnapshot => ({
    byTitle: new Map([['测试乡镇管理条例', instrument]]),
    byId: new Map([['i1', instrument]]),
    versionsOf: new Map([['i1', [{ id: 'a', instrumentId: 'i1', effectiveFrom: '2020-01-01' }, { id: 'b', instrumentId: 'i1', effectiveFrom: '2026-01-01' }] as never]]),
    provisionsOf: new Map([
      ['a:5', [p('a5', 'a', 5, '旧五')]], ['a:6', [p('a6', 'a', 6, '旧六')]], ['a:7', [p('a7', 'a', 7, '旧七')]],
      ['b:8', [p('b8', 'b', 8, '旧五')]], ['b:6', [p('b6', 'b', 6, '新六')]],
    ] as never),
    crosswalkOf: new Map([['i1', [step('a', 'b', 5, 8, 'MOVED'), step('a', 'b', 7, null, 'DELETED')]]]),
    ...extra,
  });
  const cite = (article: number | null, resolved: boolean, asOf = '2025-01-01') =>
    ({ instrument_title: '测试乡镇管理条例', article, paragraph: null, item: null, resolved, provision_id: resolved ? 'x' : null, as_of: asOf });

  it('renumbered, amended, deleted against the newer version; nothing once the list cites the newer one', () => {
    expect(findAlert(catalogue(), cite(5, true))).toMatchObject({ kind: 'RENUMBERED', proposedCitation: '《测试乡镇管理条例》第八条', oldText: '旧五', newText: '旧五', fromInstrumentVersionId: 'a', toInstrumentVersionId: 'b' });
    expect(findAlert(catalogue(), cite(6, true))).toMatchObject({ kind: 'AMENDED', oldText: '旧六', newText: '新六', proposedCitation: null });
    expect(findAlert(catalogue(), cite(7, true))).toMatchObject({ kind: 'DELETED', oldText: '旧七', newText: null });
    expect(findAlert(catalogue(), cite(8, true, '2026-02-01'))).toBeNull();
  });

  it('an old number in a list dated after the renumbering proposes the new number; other misses are UNRESOLVED', () => {
    expect(findAlert(catalogue(), cite(5, false, '2026-02-01'))).toMatchObject({ kind: 'RENUMBERED', proposedCitation: '《测试乡镇管理条例》第八条', fromInstrumentVersionId: 'a' });
    expect(findAlert(catalogue(), cite(40, false))).toMatchObject({ kind: 'UNRESOLVED' });
    expect(findAlert(catalogue(), { ...cite(1, false), instrument_title: '不存在的法' })).toMatchObject({ kind: 'UNRESOLVED', instrumentId: null });
  });

  it('a repealed instrument proposes its successor', () => {
    const successor = { id: 'i2', title: '测试新办法', shortTitle: null, rank: '地方政府规章', repealedOn: null, successorId: null };
    const repealed = { ...(instrument as object), repealedOn: '2026-01-01', successorId: 'i2' } as never;
    const c = catalogue({ byTitle: new Map([['测试乡镇管理条例', repealed]]), byId: new Map([['i1', repealed], ['i2', successor as never]]) });
    expect(findAlert(c, cite(6, true))).toMatchObject({ kind: 'REPEALED', proposedCitation: '《测试新办法》', successorInstrumentId: 'i2', oldText: '旧六' });
  });
});

describe('catalogue files', () => {
  it('reads the three tables of the sample CSVs, deriving the kind of change', () => {
    const read = catalogueFromGrids([csv('条文.csv'), csv('条文对照.csv'), csv('废止.csv')]);
    expect(read.provisions).toHaveLength(5);
    expect(read.provisions[1]).toMatchObject({ title: '测试乡镇管理条例', shortTitle: '测试条例', rank: '地方性法规', effectiveFrom: '2026-01-01', article: 6, paragraph: null });
    expect(read.crosswalk.map((r) => [r.fromArticle, r.toArticle, r.change, r.verified])).toEqual([[2, 2, 'SPLIT', false], [2, 3, 'SPLIT', false], [5, 8, null, true], [7, null, 'DELETED', true]]);
    expect(read.repeals).toEqual([{ row: 2, sheet: '废止.csv', title: '测试旧办法', repealedOn: '2026-01-01', successorTitle: '测试新办法' }]);
  });

  it('reads the same from the sample workbook, one table per sheet', async () => {
    const fromXlsx = catalogueFromGrids(await readXlsxGrids(readFileSync(join(FIXTURES, '法规目录.xlsx'))));
    const fromCsv = catalogueFromGrids([csv('条文.csv'), csv('条文对照.csv'), csv('废止.csv')]);
    // The same rows; each names where it came from (the sheet, or the CSV file).
    const placeless = (c: typeof fromCsv) => JSON.parse(JSON.stringify(c, (k, v) => (k === 'sheet' ? undefined : v)));
    expect(placeless(fromXlsx)).toEqual(placeless(fromCsv));
    expect(fromXlsx.crosswalk[0].sheet).toBe('条文对照');
  });

  it('names the sheet, row and column of a bad cell in Chinese', () => {
    const grid = (rows: string[][]) => ({ name: '条文对照', rows: rows.map((cells, i) => ({ number: i + 1, cells })) });
    const head = ['法规名称', '原施行日期', '原条款', '新施行日期', '新条款', '变化'];
    expect(() => catalogueFromGrids([grid([head, ['某法', '2020-01-01', '第五条', '2021-13-01', '第六条', '']])])).toThrow('工作表“条文对照”第2行「新施行日期」“2021-13-01”应为 YYYY-MM-DD 的日期');
    expect(() => catalogueFromGrids([grid([head, ['某法', '2020-01-01', '五', '2021-01-01', '第六条', '']])])).toThrow('第2行「原条款」“五”无法解析');
    expect(() => catalogueFromGrids([grid([head, ['某法', '2020-01-01', '第五条', '2021-01-01', '第六条', '挪动']])])).toThrow('「变化」“挪动”无效');
    expect(() => catalogueFromGrids([grid([['名称', '日期']])])).toThrow('工作表“条文对照”不是法规目录');
    // The upload doors report every problem at its place, not only the first.
    const { problems } = readCatalogue([grid([head, ['某法', '2020-01-01', '第五条', '2021-13-01', '第六条', ''], ['', '2020-01-01', '第五条', '2021-01-01', '第六条', '']])]);
    expect(problems).toEqual([
      { sheet: '条文对照', row: 2, column: '新施行日期', message: expect.stringContaining('应为 YYYY-MM-DD') },
      { sheet: '条文对照', row: 3, column: '法规名称', message: '工作表“条文对照”第3行「法规名称」不能为空' },
    ]);
  });
});
