// Crafted workbooks against the archive scan that runs before any spreadsheet parser: the rows are
// counted by a linear reader, whatever the sheet XML holds, within a size and a time budget; XML
// that is not well-formed is refused there, before any step whose cost could grow faster than the file.
import ExcelJS from 'exceljs';
import { sheetShape, scanXlsx, ScanBudgetError, ZipError } from '../../src/modules/import-export/zip-scan.js';
import { readXlsxGrids } from '../../src/modules/import-export/sheet-readers.js';
import { inlineRow, xlsxWithSheetData } from '../setup/xlsx-archive.js';

const budget = (over: Partial<Parameters<typeof scanXlsx>[1]> = {}) => ({ maxUncompressedBytes: 50 * 1024 * 1024, deadline: Infinity, ...over });

describe('counting a worksheet\'s rows', () => {
  it('counts rows with a value; empty, formatted and self-closing rows do not count', async () => {
    const sheet = [
      inlineRow(1, ['事项编码', '事项名称']),
      '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
      '<row r="3" spans="1:2"><c r="A3" s="1"/></row>',
      '<row r="4"/>',
      '<x:row r="5"><x:c r="A5"><x:v>5</x:v></x:c></x:row>',
      '<row r="6"><c r="A6" t="inlineStr"><is><t><![CDATA[<row>]]></t></is></c></row>',
    ].join('');
    expect(sheetShape(`<sheetData xmlns:x="urn:x">${sheet}</sheetData>`, Infinity)).toEqual({ rows: 4, mergedCells: 0 });
    // the same as exceljs reads from a real workbook
    const buf = xlsxWithSheetData(inlineRow(1, ['a', 'b']) + inlineRow(2, ['c', 'd']) + '<row r="3"/>');
    expect(scanXlsx(buf, budget()).rows).toBe(2);
    expect((await readXlsxGrids(buf))[0].rows).toHaveLength(2);
  });

  it('a workbook written by exceljs counts as exceljs reads it', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('清单');
    for (let i = 1; i <= 30; i++) s.addRow([`A${i}`, '乡村违法建设查处']);
    s.getRow(60).getCell(1).border = { top: { style: 'thin' } };
    expect(scanXlsx(Buffer.from(await wb.xlsx.writeBuffer()), budget()).rows).toBe(30);
  });

  // Each of these made a backtracking row pattern scan the rest of the sheet from every `<row`.
  const crafted: [string, string][] = [
    ['`<row` repeated without `>` (the 1.9 KB upload that stalled the server)', '<row'.repeat(80_000)],
    ['row tags whose attributes never end', '<row a'.repeat(100_000)],
    ['rows opened and never closed', '<row><c><v>1</v></c>'.repeat(50_000)],
    ['unclosed rows before a real one', '<row<row<row>'.repeat(30_000) + inlineRow(1, ['a'])],
  ];
  it.each(crafted)('refuses %s as malformed, reading it once', (_what, sheetData) => {
    const buf = xlsxWithSheetData(sheetData);
    expect(buf.length).toBeLessThan(20_000);
    expect(() => scanXlsx(buf, budget())).toThrow(ZipError);
  });

  it('reads what XML allows to hide rows in (comments, CDATA) once, counting only real rows', () => {
    const hidden = `<!--${'<row'.repeat(200_000)}-->` + inlineRow(1, ['a']) + `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[${'<row>'.repeat(100_000)}]]></t></is></c></row>`;
    expect(scanXlsx(xlsxWithSheetData(hidden), budget()).rows).toBe(2);
  });

  it('refuses a DOCTYPE (where entity expansion starts): no worksheet has one', () => {
    const bomb = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet><sheetData><row><c><v>&b;</v></c></row></sheetData></worksheet>';
    expect(() => sheetShape(bomb, Infinity)).toThrow(ZipError);
  });

  it('counts the cells of merged ranges (a reader creates each), and the rows they reach', () => {
    const merges = '<mergeCells><mergeCell ref="A1:M1"/><mergeCell ref="C3:C4"/><mergeCell ref="A1:XFD1048576"/><mergeCell ref="nonsense"/></mergeCells>';
    expect(sheetShape(`<worksheet><sheetData>${inlineRow(1, ['a'])}</sheetData>${merges}</worksheet>`, Infinity)).toEqual({
      rows: 1_048_576,
      mergedCells: 13 + 2 + 16_384 * 1_048_576,
    });
  });

  it('gives up at its deadline', () => {
    const sheet = `<sheetData>${Array.from({ length: 5000 }, (_, i) => inlineRow(i + 1, ['a'])).join('')}</sheetData>`;
    expect(sheetShape(sheet, Infinity).rows).toBe(5000);
    expect(() => sheetShape(sheet, performance.now() - 1)).toThrow(ScanBudgetError);
  });

  it('refuses an archive that expands beyond its budget before inflating anything', () => {
    const buf = xlsxWithSheetData(inlineRow(1, ['a'.repeat(100_000)]));
    expect(() => scanXlsx(buf, budget({ maxUncompressedBytes: 50_000 }))).toThrow(expect.objectContaining({ reason: 'uncompressed' }));
  });
});
