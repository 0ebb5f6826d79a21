// The pure parts of spreadsheet import/export: encodings, CSV and xlsx grids, header
// matching by name and alias, heading rows, the size/row limits, and writer → reader as an inverse.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { fieldOfHeader, normalizeHeader, rowToItemInput, itemToSheetRow, standardColumns, type SheetItem } from '../../src/modules/lists/list-sheet.js';
import { ALL_FIELDS, belongsTo } from '../../src/modules/lists/item-fields.js';
import { parseSheetFile } from '../../src/modules/import-export/sheet-file.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { neutralizeCell, readCsvRecords, unneutralizeCell, writeCsvRecords } from '../../src/common/csv.js';
import { countCsvRecords, readCsvGrid, readXlsxGrids, type SheetGrid } from '../../src/modules/import-export/sheet-readers.js';
import { columnLetter, itemRows, locateHeader } from '../../src/modules/import-export/sheet-table.js';
import { writeCsv, writeXlsx } from '../../src/modules/import-export/sheet-writers.js';
import { decodeText, EncodingError } from '../../src/modules/import-export/text-encoding.js';
import { scanXlsx, zipEntries } from '../../src/modules/import-export/zip-scan.js';
import { displayWidth, kindFromName, renderTable } from '../../src/modules/import-export/folder-import.js';

const LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000, maxUncompressedBytes: 50 * 1024 * 1024 };
const grid = (rows: string[][], name: string | null = null): SheetGrid => ({ name, rows: rows.map((cells, i) => ({ number: i + 1, cells })) });

describe('encoding detection', () => {
  const text = '事项编码,事项名称\n320282-100-JB-001,乡村违法建设查处（𠀀）\n';
  it('reads UTF-8 without a BOM', () => expect(decodeText(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'UTF-8' }));
  it('reads UTF-8 with a BOM, dropping it', () => expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'UTF-8 (BOM)' }));
  it('reads GB18030 (what Excel on Chinese Windows writes), including four-byte characters', () =>
    expect(decodeText(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'GB18030' }));
  it('reads plain GBK as GB18030', () => expect(decodeText(iconv.encode('责任主体,乡镇职责', 'gbk')).text).toBe('责任主体,乡镇职责'));
  it('reads UTF-16 with a BOM (Excel “Unicode text”)', () =>
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'UTF-16LE (BOM)' }));
  it('refuses a UTF-8 BOM in front of bytes that are not UTF-8', () =>
    expect(() => decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode('责任主体', 'gbk')]))).toThrow(EncodingError));
});

describe('CSV grid', () => {
  it('keeps line breaks and quotes inside cells, numbering records as Excel numbers rows', () => {
    const g = readCsvGrid('事项编码,责任事项\r\nA-1,"1.受理责任：受理；\n2.审查责任：审查"\r\nA-2,"他说""好"""\r\n');
    expect(g.rows.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(g.rows[1].cells[1]).toBe('1.受理责任：受理；\n2.审查责任：审查');
    expect(g.rows[2].cells[1]).toBe('他说"好"');
  });
  it('detects tab and semicolon delimiters', () => {
    expect(readCsvGrid('事项编码\t事项名称\nA\tB\n').rows[1].cells).toEqual(['A', 'B']);
    expect(readCsvGrid('事项编码;事项名称\nA;B\n').rows[1].cells).toEqual(['A', 'B']);
  });
  it('counts records without parsing cells: quoted line breaks and empty trailing rows do not count', () => {
    expect(countCsvRecords('a,b\n"x\ny",z\n,,\n\n')).toBe(2);
    expect(countCsvRecords('a,b\r\nc,d')).toBe(2);
  });
  it('names the row of an unclosed quote', () => {
    expect(() => readCsvGrid('a,b\nc,"d\n')).toThrow(/引号未闭合/);
  });
});

describe('headers by name and alias', () => {
  it.each([
    ['项目名称', 'name'], ['事项名称', 'name'], ['项目编码', 'itemCode'], ['职权编码', 'itemCode'], ['事项\n编码', 'itemCode'],
    ['*事项编码', 'itemCode'], ['事项编码（必填）', 'itemCode'], ['设定依据', 'legalBasis'], ['法律依据', 'legalBasis'],
    ['实施主体', 'accountableBodyName'], ['责任主体', 'accountableBodyName'], ['村(居)职责', 'villageDuty'], ['序号', 'ignored'], ['备注', null],
  ])('RESPONSIBILITY: %s → %s', (header, field) => expect(fieldOfHeader('RESPONSIBILITY', header)).toBe(field));
  it.each([['权力类型', 'category'], ['事项类别', 'category'], ['权力类别', 'category'], ['实施主体', 'accountableBodyName'], ['承办科室', 'handlingUnit']])(
    'POWER: %s → %s',
    (header, field) => expect(fieldOfHeader('POWER', header)).toBe(field),
  );
  it('事项类别 is the section in a responsibility list', () => expect(fieldOfHeader('RESPONSIBILITY', '事项类别')).toBe('section'));
  it('normalises spaces, marks and notes', () => expect(normalizeHeader(' 事项 名称\n(必填)* ')).toBe('事项名称'));

  it('skips a merged title row and reads a header split over two rows (group label above)', () => {
    const g = grid([
      Array(6).fill('宜兴市某镇履行职责事项清单'),
      ['序号', '事项基本信息', '事项基本信息', '事项基本信息', '责任主体', '备注'],
      ['序号', '项目编码', '项目名称', '清单部分', '责任主体', '备注'],
      ['1', 'X-1', '名称', '基本履职', '某镇人民政府', '无'],
    ]);
    const header = locateHeader(g, 'RESPONSIBILITY')!;
    expect(header.rowNumbers).toEqual([2, 3]);
    expect(header.columns.map((c) => [c.field, c.header])).toEqual([['itemCode', '项目编码'], ['name', '项目名称'], ['section', '清单部分'], ['accountableBodyName', '责任主体']]);
    expect(header.problems).toEqual([]);
    expect(header.warnings.map((w) => w.column)).toEqual(['备注']);
    expect(header.dataStart).toBe(3);
  });
  it('reports missing required columns and columns named twice', () => {
    const header = locateHeader(grid([['事项编码', '项目编码', '事项名称']]), 'RESPONSIBILITY')!;
    expect(header.problems.map((p) => p.column)).toEqual(['项目编码', '责任主体']);
    expect(header.problems[0].message).toMatch(/有2列都表示「事项编码」/);
  });
  it('finds no header in a sheet without two known column names', () => expect(locateHeader(grid([['甲', '乙'], ['1', '2']]), 'POWER')).toBeNull());
  it('letters columns as Excel does', () => expect([0, 25, 26, 27, 701].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ']));
});

describe('item rows', () => {
  it('skips empty and numbering-only rows, takes the section from heading rows, splits list cells', () => {
    const g = grid([
      ['序号', '事项编码', '事项名称', '责任主体', '责任事项', '关键词'],
      ['一、基本履职事项', '一、基本履职事项', '一、基本履职事项', '一、基本履职事项', '一、基本履职事项', '一、基本履职事项'],
      ['1', 'X-1', '违建查处', '某镇人民政府', '1.巡查责任：巡查；\n2.处置责任：处置', '违建、乱搭乱建'],
      ['2', '', '', '', '', ''],
      ['二、配合履职事项'],
      ['3', 'X-2', '农药指导', '宜兴市农业农村局', '巡查；\n处置', ''],
      ['', '', '', '', '', ''],
    ]);
    const header = locateHeader(g, 'RESPONSIBILITY')!;
    expect(header.problems).toEqual([]); // the section comes from the headings
    const { rows, problems, warnings } = itemRows(g, 'RESPONSIBILITY', header);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(rows.map((r) => [r.row, r.input.itemCode, r.input.section])).toEqual([[3, 'X-1', 'BASIC'], [6, 'X-2', 'COOPERATIVE']]);
    expect(rows[0].input.stagedDuties).toEqual(['1.巡查责任：巡查', '2.处置责任：处置']);
    expect(rows[1].input.stagedDuties).toEqual(['巡查', '处置']);
    expect(rows[0].input.keywords).toEqual(['违建', '乱搭乱建']);
  });
  it('without a section column nor headings, reports the missing column once', () => {
    const g = grid([['事项编码', '事项名称', '责任主体'], ['X-1', 'A', 'B'], ['X-2', 'C', 'D']]);
    const { problems } = itemRows(g, 'RESPONSIBILITY', locateHeader(g, 'RESPONSIBILITY')!);
    expect(problems.map((p) => p.column)).toEqual(['清单部分']);
  });
  it('reads labels as lists write them', () => {
    expect(rowToItemInput({ section: '配合履职事项' }).section).toBe('COOPERATIVE');
    expect(rowToItemInput({ category: '许可' }).category).toBe('LICENSING');
    expect(rowToItemInput({ category: '其他权力' }).category).toBe('OTHER');
    expect(rowToItemInput({ section: '随便写写' }).section).toBe('随便写写'); // left for validation to name
  });
});

describe('xlsx', () => {
  async function workbook(build: (sheet: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb.addWorksheet('清单'), wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads merged cells (the master value in every cell), rich text, formulas, numbers and line breaks', async () => {
    const buf = await workbook((s) => {
      s.addRow(['宜兴市某镇权力清单']);
      s.mergeCells('A1:D1');
      s.addRow(['事项编码', '事项名称', '实施主体', '事项描述']);
      s.addRow([1001, { richText: [{ text: '行政' }, { text: '许可', font: { bold: true } }] }, '某镇人民政府', '第一行\n第二行']);
      s.addRow(['X-2', { formula: 'CONCATENATE("甲","乙")', result: '甲乙' }, null, '']);
      s.mergeCells('C3:C4'); // one body for two items
    });
    const [g] = await readXlsxGrids(buf);
    expect(g.rows.map((r) => r.cells)).toEqual([
      ['宜兴市某镇权力清单', '宜兴市某镇权力清单', '宜兴市某镇权力清单', '宜兴市某镇权力清单'],
      ['事项编码', '事项名称', '实施主体', '事项描述'],
      ['1001', '行政许可', '某镇人民政府', '第一行\n第二行'],
      ['X-2', '甲乙', '某镇人民政府', ''],
    ]);
  });

  it('skips hidden and empty sheets; trailing formatted rows are not rows', async () => {
    const buf = await workbook((s, wb) => {
      s.addRow(['事项编码', '事项名称']);
      s.addRow(['A', 'B']);
      s.getRow(50).getCell(1).border = { top: { style: 'thin' } };
      wb.addWorksheet('说明', { state: 'hidden' }).addRow(['内部说明']);
      wb.addWorksheet('空表');
    });
    const grids = await readXlsxGrids(buf);
    expect(grids.map((g) => [g.name, g.rows.length])).toEqual([['清单', 2]]);
    expect(scanXlsx(buf, { maxUncompressedBytes: 1e9, deadline: Infinity }).rows).toBe(2);
    expect(zipEntries(buf).some((e) => e.name === 'xl/workbook.xml')).toBe(true);
  });

  it('reads the demo xlsx (merged title row, 序号, wrapped cells)', async () => {
    const fs = await import('node:fs');
    const file = await parseSheetFile('town-A-responsibility.xlsx', fs.readFileSync('src/seed/demo/town-A-responsibility.xlsx'), LIMITS);
    const header = locateHeader(file.grids[0], 'RESPONSIBILITY')!;
    expect(header.rowNumbers).toEqual([2]);
    const { rows } = itemRows(file.grids[0], 'RESPONSIBILITY', header);
    expect(rows).toHaveLength(45);
    expect(rows[0].row).toBe(3);
    expect(rows[0].input.stagedDuties).toHaveLength(6);
  });
});

describe('limits, before parsing', () => {
  it('refuses a file over the size limit, naming it', async () => {
    await expect(parseSheetFile('a.csv', Buffer.alloc(2048, 0x41), { ...LIMITS, maxBytes: 1024, maxRows: 10 })).rejects.toMatchObject({ details: { limit: 'IMPORT_MAX_BYTES' } });
  });
  it('refuses a CSV over the row limit, naming it', async () => {
    const csv = Buffer.from(['事项编码,事项名称', ...Array.from({ length: 11 }, (_, i) => `A${i},B`)].join('\n'));
    await expect(parseSheetFile('a.csv', csv, { ...LIMITS, maxBytes: 1e6, maxRows: 10 })).rejects.toMatchObject({ message: expect.stringMatching(/IMPORT_MAX_ROWS/) });
  });
  it('refuses an xlsx over the row limit from the archive, before exceljs reads it', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('x');
    for (let i = 0; i < 12; i++) s.addRow([`A${i}`, 'B']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(parseSheetFile('a.xlsx', buf, { ...LIMITS, maxBytes: 1e6, maxRows: 10 })).rejects.toMatchObject({ details: { limit: 'IMPORT_MAX_ROWS', rows: 12 } });
  });
  it('refuses old .xls and files that only claim to be .xlsx', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(parseSheetFile('a.xls', ole, LIMITS)).rejects.toMatchObject({ message: expect.stringMatching(/\.xls/) });
    await expect(parseSheetFile('a.xlsx', Buffer.from('事项编码'), LIMITS)).rejects.toMatchObject({ message: expect.stringMatching(/不是有效的 \.xlsx/) });
  });
});

// Values a list can hold that the spreadsheet shape represents: list elements without their
// separators (；; between elements, 、,，；; between keywords), one-line names.
const chars = fc.constantFrom(...'乡镇村民违法建设查处责任主体配合职责农药秸秆焚烧巡查处置abcXYZ019 ，。：“”（）,."=+-@%#\''.split(''));
const text = (max: number) => fc.array(chars, { minLength: 1, maxLength: max }).map((a) => a.join('').trim()).filter((s) => s.length > 0);
const multiline = fc.array(text(30), { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
const element = text(25).filter((s) => !/[；;]/.test(s));
const explicit = {
  itemCode: fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z_.-]{0,15}$/),
  name: text(30),
  description: fc.option(multiline, { nil: null }),
  subItem: fc.constant(null),
  handlingUnit: fc.constant(null),
  section: fc.constantFrom('BASIC' as const, 'COOPERATIVE' as const, 'RECLAIMED' as const),
  category: fc.constant(null),
  source: fc.constant(null),
  accountableBodyName: fc.constantFrom('某镇人民政府', '宜兴市农业农村局'),
  townshipDuty: fc.option(multiline, { nil: null }),
  villageDuty: fc.option(text(20), { nil: null }),
  cooperating: fc.array(fc.record({ bodyName: fc.constantFrom('宜兴市应急管理局', '宜兴市民政局'), duty: element.filter((s) => !/[:：]/.test(s[0])) }), { maxLength: 2 }),
  legalBasis: fc.option(fc.constantFrom('《中华人民共和国城乡规划法》第六十五条', '《农药管理条例》第三十二条第五款；《某条例》'), { nil: null }),
  stagedDuties: fc.array(element, { maxLength: 4 }),
  accountabilityCircumstances: fc.array(element, { maxLength: 3 }),
  exemptions: fc.array(element, { maxLength: 3 }),
  keywords: fc.array(element.filter((s) => !/[、,，]/.test(s)), { maxLength: 4 }),
};
// Every other column of the description: free text of a responsibility list generated, the rest empty.
const others = Object.fromEntries(
  ALL_FIELDS.filter((f) => f.sheet && f.inputKey && !(f.inputKey in explicit)).map((f) => [
    f.inputKey!,
    belongsTo(f, 'RESPONSIBILITY') && f.codec.graphqlType === 'String' ? fc.option(multiline, { nil: null }) : fc.constant(f.codec.fromCell('')),
  ]),
);
const sheetItem = fc.record({ ...explicit, ...others }) as unknown as fc.Arbitrary<SheetItem>;

describe('writer → reader is the identity on representable lists', () => {
  const asInput = (i: SheetItem) => ({ ...i, cooperating: (i.cooperating ?? []).map((c) => ({ bodyName: c.bodyName, duty: c.duty.trim() })) });
  it('one row: itemToSheetRow then rowToItemInput', () => {
    fc.assert(
      fc.property(sheetItem, (item) => {
        expect(rowToItemInput(itemToSheetRow(item))).toEqual(asInput(item));
      }),
      { numRuns: 300 },
    );
  });
  it('whole files: CSV (BOM, formula guard) and xlsx (title row, 序号) read back as the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(sheetItem, { minLength: 1, maxLength: 8, selector: (i) => i.itemCode }), fc.boolean(), async (items, xlsx) => {
        const body = xlsx
          ? await writeXlsx({ township: '宜兴市某镇', kind: 'RESPONSIBILITY', versionNumber: 3, statusLabel: '已发布', approvalDocNumber: '宜政发〔2025〕1号', effectiveFrom: '2025-01-01', effectiveTo: null }, items)
          : writeCsv('RESPONSIBILITY', items);
        const file = await parseSheetFile(xlsx ? 'x.xlsx' : 'x.csv', body, LIMITS);
        const header = locateHeader(file.grids[0], 'RESPONSIBILITY')!;
        expect(header.problems).toEqual([]);
        expect(header.columns.map((c) => c.header)).toEqual(standardColumns('RESPONSIBILITY').map((c) => c.header));
        const { rows } = itemRows(file.grids[0], 'RESPONSIBILITY', header);
        expect(rows.map((r) => r.input)).toEqual(items.map(asInput));
      }),
      { numRuns: 40 },
    );
  });
});

describe('CSV injection: cells a spreadsheet would run are written with a leading apostrophe', () => {
  const triggers = ['=1+1', '+86 510', '-2', '@SUM(A1)', '\tx', '\rx', "'=already", "''+twice"];
  it('neutralises = + - @, tab and carriage return, and apostrophes before them, at the start of a cell and of each line; leaves the rest', () => {
    expect(triggers.map(neutralizeCell)).toEqual(["'=1+1", "'+86 510", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "''=already", "'''+twice"]);
    expect(neutralizeCell('巡查\n=1+1\n正常\n-2')).toBe("巡查\n'=1+1\n正常\n'-2");
    for (const plain of ["'quoted", '乡镇', 'a=b', ' =x', '', '甲\n乙']) expect(neutralizeCell(plain)).toBe(plain);
  });
  it('no cell or line of a written CSV starts with a trigger; the grid reader gives back exactly what was written', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: fc.constantFrom(...'=+-@\t\r\n\'a乡,"'.split('')), maxLength: 8 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const csv = writeCsvRecords([['甲', '乙'], ...rows]);
        const parsed = readCsvGrid(csv.replace(/^\uFEFF/, '')).rows.map((r) => r.cells);
        expect(parsed.slice(1)).toEqual(rows);
        // what a spreadsheet sees (csv-parse without our reader's rule): no formula start, in a cell or a line of it
        const raw = parseCsv(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
        for (const line of raw.flat().flatMap((cell) => cell.split('\n'))) expect(line).not.toMatch(/^[=+\-@\t\r]/);
        for (const [i, cell] of rows.flat().entries()) expect(unneutralizeCell(raw.slice(1).flat()[i])).toBe(cell);
      }),
      { numRuns: 300 },
    );
  });
  it('the records reader (demo data) strips the apostrophe too', () => {
    expect(readCsvRecords(writeCsvRecords([['a', 'b'], ['=1', "'x"]]))).toEqual([{ a: '=1', b: "'x" }]);
  });
});

describe('CLI helpers', () => {
  it('tells the list kind from a file name', () => {
    expect(kindFromName('320282100-权力清单.xlsx')).toBe('POWER');
    expect(kindFromName('张渚镇履行职责事项清单.csv')).toBe('RESPONSIBILITY');
    expect(kindFromName('town-A-responsibility.csv')).toBe('RESPONSIBILITY');
    expect(kindFromName('清单.csv')).toBeNull();
  });
  it('aligns Chinese columns by display width', () => {
    expect(displayWidth('张渚镇a')).toBe(7);
    const table = renderTable(['文件', 'n'], [['张渚镇.csv', '12'], ['a.csv', '3']], [false, true]).split('\n');
    expect(new Set(table.map(displayWidth)).size).toBe(1); // numbers right-aligned: every line as wide as the header
  });
});
