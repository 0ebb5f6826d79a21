import ExcelJS from 'exceljs';
import type { ListKind } from '../lists/duty-list.entity.js';
import { itemToSheetRow, STANDARD_COLUMNS, type SheetField, type SheetItem } from '../lists/list-sheet.js';

/** What the title row of an exported list says. */
export interface SheetTitle {
  /** e.g. 江苏省无锡市宜兴市张渚镇 */
  township: string;
  kind: ListKind;
  versionNumber: number;
  statusLabel: string;
  approvalDocNumber: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

export const KIND_LABEL: Record<ListKind, string> = { POWER: '权力清单', RESPONSIBILITY: '责任清单' };

const CSV_NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// A cell Excel would run as a formula when it opens a CSV: a leading tab keeps it text (CWE-1236);
// the importer trims it away, so the round trip is unchanged.
const FORMULA_START = /^[=+\-@]/;

function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `\t${value}` : value;
  return CSV_NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A list as CSV with the standard Chinese headers, one item per row: UTF-8 with a byte-order
 * mark (so Excel on Chinese Windows opens it without garbling), RFC 4180 quoting, CRLF between rows.
 */
export function writeCsv(kind: ListKind, items: SheetItem[]): Buffer {
  const columns = STANDARD_COLUMNS[kind];
  return csvTable([
    columns.map(([, header]) => header),
    ...items.map((item) => {
      const row = itemToSheetRow(item);
      return columns.map(([field]) => row[field]);
    }),
  ]);
}

/** Rows of cells (the first the header) as such a CSV: BOM, RFC 4180 quoting, CRLF. */
export function csvTable(rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** Column widths in characters (a CJK character counts about two). */
const WIDTH: Record<SheetField, number> = {
  itemCode: 20, name: 24, section: 12, category: 12, subItem: 18, source: 9, description: 46, legalBasis: 40,
  accountableBodyName: 20, handlingUnit: 16, cooperating: 40, townshipDuty: 36, villageDuty: 28, stagedDuties: 48,
  accountabilityCircumstances: 40, exemptions: 40, keywords: 22,
};

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
export const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * A list as an .xlsx a county office prints and files: a merged title row (township, list kind,
 * version, 批准文号, effective dates), a bold shaded header row repeated on every printed page,
 * frozen panes below the header and beside the item code and name, wrapped cells with set
 * widths, A3 landscape fitted to the page width, page numbers in the footer. The 序号 column is
 * for reading: the importer ignores it, and reads the file back as the same list.
 */
export async function writeXlsx(title: SheetTitle, items: SheetItem[]): Promise<Buffer> {
  const columns = STANDARD_COLUMNS[title.kind];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quanze 权责';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(KIND_LABEL[title.kind], {
    views: [{ state: 'frozen', xSplit: 3, ySplit: 2, topLeftCell: 'D3', activeCell: 'D3' }],
    pageSetup: {
      paperSize: 8 as ExcelJS.PaperSize, // A3 (missing from exceljs' enum)
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '1:2',
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = [{ key: 'seq', width: 6 }, ...columns.map(([field]) => ({ key: field, width: WIDTH[field] }))];
  const last = columns.length + 1;

  const effective = title.effectiveFrom ? `${title.effectiveFrom} 起${title.effectiveTo ? `，至 ${title.effectiveTo}（不含）` : ''}` : '未生效';
  const titleRow = sheet.getRow(1);
  titleRow.getCell(1).value = {
    richText: [
      { text: `${title.township}${KIND_LABEL[title.kind]}（第${title.versionNumber}版）\n`, font: { bold: true, size: 16, name: '宋体' } },
      { text: `批准文号：${title.approvalDocNumber ?? '（未批准）'}　　生效日期：${effective}　　状态：${title.statusLabel}`, font: { size: 11, name: '宋体' } },
    ],
  };
  sheet.mergeCells(1, 1, 1, last);
  titleRow.height = 48;
  titleRow.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };

  const headerRow = sheet.getRow(2);
  headerRow.values = ['序号', ...columns.map(([, header]) => header)];
  headerRow.height = 30;
  headerRow.eachCell((cell) => {
    cell.font = { bold: true, size: 11, name: '宋体' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });

  items.forEach((item, i) => {
    const values = itemToSheetRow(item);
    const row = sheet.getRow(3 + i);
    row.values = [i + 1, ...columns.map(([field]) => values[field])];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.font = { size: 10, name: '宋体' };
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: col === 1 ? 'center' : 'left' };
      cell.border = BORDER;
    });
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: last } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
