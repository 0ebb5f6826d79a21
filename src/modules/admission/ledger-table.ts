import ExcelJS from 'exceljs';
import { writeCsvRecords } from '../../common/csv.js';
import { BORDER } from '../import-export/sheet-writers.js';
import type { BurdenLedgerModel, BurdenLedgerRowModel } from './admission.model.js';
import { FLAG_LABELS } from './burden-flags.js';
import { BURDEN_FLAG_KINDS } from './task-request.entity.js';

/** The ledger as a table a county office reads: the same columns in the CSV, the xlsx and the portal page. */
export interface LedgerTable {
  headers: string[];
  /** One row per department, then 合计. */
  rows: string[][];
}

/** Columns 1…VERDICT_COLUMNS-1 are the requests and their verdicts; the rest the reporting burden (the page shows them as two tables). */
export const VERDICT_COLUMNS = 12;

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function cells(name: string, r: BurdenLedgerRowModel): string[] {
  const flagCount = new Map(r.flags.map((f) => [f.kind, f.requests]));
  return [
    name,
    String(r.requests),
    String(r.townshipsReached),
    String(r.targets),
    String(r.verdicts.inListLead),
    String(r.verdicts.inListCooperate),
    String(r.verdicts.reclaimed),
    String(r.verdicts.notInList),
    percent(r.shareOutsideLists),
    String(r.admitted),
    String(r.declined),
    percent(r.shareDeclined),
    String(r.reportingEventsPerMonth),
    ...BURDEN_FLAG_KINDS.map((k) => String(flagCount.get(k) ?? 0)),
  ];
}

export function ledgerTable(ledger: BurdenLedgerModel): LedgerTable {
  return {
    headers: [
      '部门', '任务数', '涉及乡镇数', '乡镇次数', '基本履职', '配合履职', '已收回', '清单外', '清单外占比',
      '准予准入', '不予准入', '不予准入占比', '每月报送次数', ...BURDEN_FLAG_KINDS.map((k) => FLAG_LABELS[k]),
    ],
    rows: [...ledger.departments.map((d) => cells(d.body?.name ?? '', d)), cells('合计', ledger.total)],
  };
}

/** The period in words, for titles: 2026-01-01 至 2026-06-30, 2026-01-01 起, 截至 2026-06-30, 全部. */
export function periodLabel(from: string | null, to: string | null): string {
  if (from && to) return `${from} 至 ${to}`;
  if (from) return `${from} 起`;
  if (to) return `截至 ${to}`;
  return '全部时间';
}

export const writeLedgerCsv = (table: LedgerTable): Buffer => Buffer.from(writeCsvRecords([table.headers, ...table.rows]), 'utf8');

/** The ledger as an .xlsx to print: a title row, a shaded header, numbers as numbers, the total row in bold. */
export async function writeLedgerXlsx(title: string, table: LedgerTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quanze 权责';
  const sheet = workbook.addWorksheet('减负台账', {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }],
    pageSetup: { paperSize: 9 as ExcelJS.PaperSize, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = table.headers.map((_, i) => ({ width: i === 0 ? 28 : 11 }));
  sheet.getRow(1).getCell(1).value = title;
  sheet.getRow(1).getCell(1).font = { bold: true, size: 14, name: '宋体' };
  sheet.mergeCells(1, 1, 1, table.headers.length);
  const header = sheet.getRow(2);
  header.values = table.headers;
  header.eachCell((cell) => {
    cell.font = { bold: true, name: '宋体' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  table.rows.forEach((values, i) => {
    const row = sheet.getRow(3 + i);
    // Counts are numbers in the sheet (they can be summed); shares stay as written (45.5%).
    row.values = values.map((v, col) => (col > 0 && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v));
    row.eachCell((cell) => {
      cell.border = BORDER;
      cell.font = { name: '宋体', bold: i === table.rows.length - 1 };
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
