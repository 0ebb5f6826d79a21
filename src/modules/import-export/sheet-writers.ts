import type ExcelJS from 'exceljs';
import { writeCsvRecords } from '../../common/csv.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import { itemToSheetRow, standardColumns, type SheetItem } from '../lists/list-sheet.js';

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

/**
 * A list as CSV with the standard Chinese headers, one item per row: UTF-8 with a byte-order
 * mark (so Excel on Chinese Windows opens it without garbling), RFC 4180 quoting, CRLF between rows.
 */
export function writeCsv(kind: ListKind, items: SheetItem[]): Buffer {
  const columns = standardColumns(kind);
  const rows = items.map((item) => {
    const row = itemToSheetRow(item);
    return columns.map((c) => row[c.field]);
  });
  return Buffer.from(writeCsvRecords([columns.map((c) => c.header), ...rows]), 'utf8');
}

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
  const columns = standardColumns(title.kind);
  // exceljs and its dependencies (~600 files) load with the first spreadsheet, not at start-up.
  const workbook = new (await import('exceljs')).default.Workbook();
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
  sheet.columns = [{ key: 'seq', width: 6 }, ...columns.map((c) => ({ key: c.field, width: c.width }))];
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
  headerRow.values = ['序号', ...columns.map((c) => c.header)];
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
    row.values = [i + 1, ...columns.map((c) => values[c.field])];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.font = { size: 10, name: '宋体' };
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: col === 1 ? 'center' : 'left' };
      cell.border = BORDER;
    });
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: last } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
