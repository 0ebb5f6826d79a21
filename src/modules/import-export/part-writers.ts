import type ExcelJS from 'exceljs';
import { ALL_FIELDS, belongsTo, CONTENT_FIELDS, headersOf, type ItemField } from '../lists/item-fields.js';
import { LIST_SECTIONS, type ListSection } from '../lists/list-item.entity.js';
import { itemToSheetRow, type SheetField, type SheetItem } from '../lists/list-sheet.js';
import type { ItemChangeModel } from '../lists/list.model.js';
import { BORDER, type SheetTitle } from './sheet-writers.js';

/**
 * The workbooks a county re-publishes, beside the one-table export of sheet-writers.ts:
 *
 * - the **three-part layout** of the 乡镇（街道）履行职责事项清单: one sheet per part (基本履职事项,
 *   配合履职事项, 上级部门收回事项), each with a title (township, part, version, 批准文号, effective
 *   dates), 序号 and the part's own columns (配合: 牵头部门, 上级部门职责, 乡镇配合职责; 收回: 收回部门,
 *   承接部门, 工作方式), and 事项编码 last, so that importing the workbook keeps every code;
 * - the **blank template**: the same three sheets without items, a notes row above each header and a
 *   note on every header cell;
 * - the **修订对照表** between two versions: item, field, before, after, reason.
 *
 * The importer reads the first two back (the sheet names the part; the title and notes rows are
 * skipped), so an exported three-part workbook re-imports to an empty diff.
 */

/** The sheet name of each part (the importer reads the part from it). */
export const PART_SHEET: Record<ListSection, string> = { BASIC: '基本履职事项', COOPERATIVE: '配合履职事项', RECLAIMED: '上级部门收回事项' };

export interface PartColumn {
  field: SheetField;
  header: string;
  width: number;
  /** What the template's note on the header says. */
  note: string;
}

/** The columns of a part's sheet, in export order: its fields (headers as that part names them), 事项编码 last. */
export function partColumns(section: ListSection): PartColumn[] {
  const fields = ALL_FIELDS.filter((f) => f.sheet && f.inputKey && f.inputKey !== 'section' && f.key !== 'itemCode' && belongsTo(f, 'RESPONSIBILITY', section))
    .sort((a, b) => a.sheet!.order - b.sheet!.order);
  const code = ALL_FIELDS.find((f) => f.key === 'itemCode')!;
  return [...fields, code].map((f) => ({ field: f.inputKey!, header: headersOf(f, 'RESPONSIBILITY', section)!.header, width: f.sheet!.width, note: noteOf(f, section) }));
}

function noteOf(f: ItemField, section: ListSection): string {
  const labels = f.codec.labels ? `填写：${Object.values(f.codec.labels).join('、')}。` : '';
  switch (f.inputKey) {
    case 'itemCode': return '可不填：导入时按事项名称对应现行事项并沿用其编码，新事项自动编号。';
    case 'name': return '必填，一行。';
    case 'accountableBodyName':
      return section === 'BASIC' ? '必填：本乡镇（街道）的主体，须与主体目录中的名称一致。' : `必填：${section === 'COOPERATIVE' ? '牵头' : '收回'}的上级部门，须与主体目录中的名称一致。`;
    case 'takeoverBodyName': return '选填：现在承接该事项的单位，须与主体目录中的名称一致。';
    case 'cooperating': return '每个配合部门一行：1.部门名称：职责（换行）2.部门名称：职责；也可用“；”分隔。';
    case 'legalBasis': return '每条依据一行，如：1.《中华人民共和国城乡规划法》第六十五条。引用条文原文时写在“：”之后，只引用该条。';
    case 'stagedDuties': return '每项一行，以“；”结尾，如：1.受理责任：……；';
    case 'accountabilityCircumstances':
    case 'exemptions': return '多项用“；”分隔。';
    case 'keywords': return '多个用“、”分隔。';
    default: return labels || '选填。';
  }
}

const FONT = { name: '宋体' };

/** exceljs loads with the first workbook, not at start-up. */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const workbook = new (await import('exceljs')).default.Workbook();
  workbook.creator = 'Quanze 权责';
  workbook.created = new Date();
  return workbook;
}

function addPrintableSheet(workbook: ExcelJS.Workbook, name: string, headerRow: number): ExcelJS.Worksheet {
  return workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: headerRow, topLeftCell: `C${headerRow + 1}`, activeCell: `C${headerRow + 1}` }],
    pageSetup: {
      paperSize: 8 as ExcelJS.PaperSize, // A3
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
}

function styleHeader(row: ExcelJS.Row): void {
  row.height = 30;
  row.eachCell((cell) => {
    cell.font = { ...FONT, bold: true, size: 11 };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
}

function styleBody(row: ExcelJS.Row): void {
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    cell.font = { ...FONT, size: 10 };
    cell.alignment = { vertical: 'top', wrapText: true, horizontal: col === 1 ? 'center' : 'left' };
    cell.border = BORDER;
  });
}

function mergedText(sheet: ExcelJS.Worksheet, rowNumber: number, last: number, value: ExcelJS.CellValue, height: number, center = true): void {
  const row = sheet.getRow(rowNumber);
  row.getCell(1).value = value;
  sheet.mergeCells(rowNumber, 1, rowNumber, last);
  row.height = height;
  row.getCell(1).alignment = { horizontal: center ? 'center' : 'left', vertical: 'middle', wrapText: true };
}

const effectiveText = (t: SheetTitle) =>
  t.effectiveFrom ? `${t.effectiveFrom} 起${t.effectiveTo ? `，至 ${t.effectiveTo}（不含）` : ''}` : '未生效';

/** The three-part workbook of a responsibility list version (items of each part on its sheet). */
export async function writePartsXlsx(title: SheetTitle, items: SheetItem[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  for (const section of LIST_SECTIONS) {
    const columns = partColumns(section);
    const sheet = addPrintableSheet(workbook, PART_SHEET[section], 2);
    sheet.columns = [{ key: 'seq', width: 6 }, ...columns.map((c) => ({ key: c.field, width: c.width }))];
    const last = columns.length + 1;
    mergedText(sheet, 1, last, {
      richText: [
        { text: `${title.township}${PART_SHEET[section]}清单（第${title.versionNumber}版）\n`, font: { ...FONT, bold: true, size: 16 } },
        { text: `批准文号：${title.approvalDocNumber ?? '（未批准）'}　　生效日期：${effectiveText(title)}　　状态：${title.statusLabel}`, font: { ...FONT, size: 11 } },
      ],
    }, 48);
    const header = sheet.getRow(2);
    header.values = ['序号', ...columns.map((c) => c.header)];
    styleHeader(header);
    items
      .filter((i) => i.section === section)
      .forEach((item, n) => {
        const values = itemToSheetRow(item);
        const row = sheet.getRow(3 + n);
        row.values = [n + 1, ...columns.map((c) => values[c.field])];
        styleBody(row);
      });
    sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: last } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The blank template: the three parts with their columns, a notes row above each header, a note on each header cell. */
export async function writeTemplateXlsx(): Promise<Buffer> {
  const workbook = await newWorkbook();
  for (const section of LIST_SECTIONS) {
    const columns = partColumns(section);
    const sheet = addPrintableSheet(workbook, PART_SHEET[section], 3);
    sheet.columns = [{ key: 'seq', width: 6 }, ...columns.map((c) => ({ key: c.field, width: c.width }))];
    const last = columns.length + 1;
    mergedText(sheet, 1, last, { richText: [{ text: `××县（市、区）××镇（街道）${PART_SHEET[section]}清单`, font: { ...FONT, bold: true, size: 16 } }] }, 36);
    const notes =
      `填写说明：本表为${PART_SHEET[section]}，每行一个事项，序号可不填。` +
      `${section === 'COOPERATIVE' ? '牵头部门填写负责该事项的上级部门，上级部门职责与乡镇配合职责分别填写。' : ''}` +
      `${section === 'RECLAIMED' ? '收回部门填写收回该事项的上级部门，承接部门与工作方式（派驻、窗口受理、线上办理、现场办理、其他）选填。' : ''}` +
      '事项编码可不填：导入时按事项名称对应现行事项并沿用其编码。主体名称须与主体目录一致。各列要求见列名上的批注。请勿修改工作表名称和列名。';
    mergedText(sheet, 2, last, { richText: [{ text: notes, font: { ...FONT, size: 10, color: { argb: 'FF7F7F7F' } } }] }, 60, false);
    const header = sheet.getRow(3);
    header.values = ['序号', ...columns.map((c) => c.header)];
    styleHeader(header);
    header.getCell(1).note = '可不填。';
    columns.forEach((c, i) => (header.getCell(i + 2).note = c.note));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const CHANGE_LABEL = { ADDED: '新增', REMOVED: '删除', CHANGED: '修改' } as const;
/** Chinese labels of the diff's field names (versionDiff), from the item fields. */
const DIFF_LABEL = new Map<string, string>(CONTENT_FIELDS.filter((f) => f.diff).map((f) => [f.diff!, f.label]));

export interface RevisionTitle {
  township: string;
  fromNumber: number;
  toNumber: number;
  toApprovalDocNumber: string | null;
  /** 调整原因 of the newer version (立改废释, 职责准入, 乡镇申请, 其他). */
  reason: string | null;
}

/** 修订对照表: one row per changed field of each added, removed or changed item (item, field, before, after, reason). */
export async function writeRevisionXlsx(title: RevisionTitle, changes: ItemChangeModel[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = addPrintableSheet(workbook, '修订对照表', 2);
  const widths = [6, 20, 26, 8, 14, 44, 44, 12];
  sheet.columns = widths.map((width, i) => ({ key: `c${i}`, width }));
  mergedText(sheet, 1, widths.length, {
    richText: [
      { text: `${title.township}履行职责事项清单修订对照表（第${title.fromNumber}版 → 第${title.toNumber}版）\n`, font: { ...FONT, bold: true, size: 16 } },
      { text: `批准文号：${title.toApprovalDocNumber ?? '（未批准）'}　　共${changes.length}个事项有变动`, font: { ...FONT, size: 11 } },
    ],
  }, 48);
  const header = sheet.getRow(2);
  header.values = ['序号', '事项编码', '事项名称', '变动', '字段', '修改前', '修改后', '调整原因'];
  styleHeader(header);
  let at = 3;
  changes.forEach((change, n) => {
    const fields = change.fields.length ? change.fields : [{ field: 'name', before: null, after: null }];
    for (const f of fields) {
      const row = sheet.getRow(at++);
      row.values = [n + 1, change.itemCode, change.name, CHANGE_LABEL[change.change], DIFF_LABEL.get(f.field) ?? f.field, f.before ?? '', f.after ?? '', title.reason ?? ''];
      styleBody(row);
    }
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: widths.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
