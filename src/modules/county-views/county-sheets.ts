import ExcelJS from 'exceljs';
import { BORDER } from '../import-export/sheet-writers.js';
import type { BodyDutiesModel, CountyMatrixModel, MatrixRole } from './county-views.model.js';
import { LIST_KIND_LABEL, matrixRoleLabel } from './county-views.service.js';

/** The colours of the roles, as on the portal's badges (site.css): green leads, amber cooperates, purple was taken back, grey is absent. */
export const ROLE_FILL: Record<MatrixRole, string> = { LEAD: 'FFD1F0DA', COOPERATE: 'FFFFF1C2', RECLAIMED: 'FFE6DCFA', ABSENT: 'FFF2F2F2' };

const SECTION_LABEL: Record<string, string> = { BASIC: '基本履职', COOPERATIVE: '配合履职', RECLAIMED: '上级部门收回' };

function titleRow(sheet: ExcelJS.Worksheet, title: string, width: number): void {
  const cell = sheet.getRow(1).getCell(1);
  cell.value = title;
  cell.font = { bold: true, size: 14, name: '宋体' };
  sheet.mergeCells(1, 1, 1, width);
}

function headerRow(row: ExcelJS.Row, values: string[]): void {
  row.values = values;
  row.eachCell((cell) => {
    cell.font = { bold: true, name: '宋体' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
}

/**
 * The county matrix as one sheet: a row per matter, a column per township, each cell coloured by
 * the township's role and saying it in words (role, accountable body, item code) — colour is never
 * the only carrier — and a last column with the inconsistencies.
 */
export async function writeMatrixXlsx(m: CountyMatrixModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quanze 权责';
  const sheet = workbook.addWorksheet('事项矩阵', {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }],
    pageSetup: { paperSize: 9 as ExcelJS.PaperSize, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const width = m.townships.length + 2;
  sheet.columns = [{ width: 30 }, ...m.townships.map(() => ({ width: 24 })), { width: 50 }];
  titleRow(sheet, `${m.countyName}${LIST_KIND_LABEL[m.kind]}事项矩阵（${m.asOf}现行）`, width);
  const legend = sheet.getRow(2);
  legend.getCell(1).value = '图例';
  (['LEAD', 'COOPERATE', 'RECLAIMED', 'ABSENT'] as const).forEach((role, i) => {
    const cell = legend.getCell(2 + i);
    cell.value = matrixRoleLabel(role);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: ROLE_FILL[role] } };
    cell.border = BORDER;
  });
  headerRow(sheet.getRow(3), ['事项', ...m.townships.map((t) => `${t.name}（第${t.versionNumber}版）`), '不一致之处']);
  m.matters.forEach((matter, i) => {
    const row = sheet.getRow(4 + i);
    row.getCell(1).value = matter.name;
    matter.cells.forEach((c, j) => {
      const cell = row.getCell(2 + j);
      cell.value =
        c.role === 'ABSENT'
          ? matrixRoleLabel(c.role)
          : `${matrixRoleLabel(c.role)}\n${c.accountableBody?.name ?? ''}\n${c.itemCode}${c.itemCount > 1 ? `（另有${c.itemCount - 1}项）` : ''}`;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: ROLE_FILL[c.role] } };
    });
    row.getCell(width).value = matter.flags.map((f) => f.message).join('\n') || null;
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (col > width) return;
      cell.border = BORDER;
      cell.font = { name: '宋体', bold: col === 1, color: col === width ? { argb: 'FFB42318' } : undefined };
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const BODY_DUTY_HEADERS = ['乡镇（街道）', '清单', '事项编码', '事项名称', '清单部分', '本部门的角色', '责任主体', '本部门配合职责', '上级部门职责', '乡镇职责'];

/** 部门履职事项清单 as one sheet: a row per item in force naming the department. */
export async function writeBodyDutiesXlsx(d: BodyDutiesModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quanze 权责';
  const sheet = workbook.addWorksheet('部门履职事项清单', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2 }],
    pageSetup: { paperSize: 9 as ExcelJS.PaperSize, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [12, 10, 22, 30, 12, 14, 24, 36, 36, 36].map((width) => ({ width }));
  titleRow(sheet, `${d.body.name}履职事项清单（${d.asOf}各乡镇现行清单）`, BODY_DUTY_HEADERS.length);
  headerRow(sheet.getRow(2), BODY_DUTY_HEADERS);
  d.duties.forEach((x, i) => {
    const row = sheet.getRow(3 + i);
    row.values = [
      x.townshipName, LIST_KIND_LABEL[x.listKind], x.itemCode, x.itemName, x.section ? SECTION_LABEL[x.section] : '',
      dutyRole(x), x.accountableBody.name, x.cooperatingDuty ?? '', x.leadDuty ?? '', x.townshipDuty ?? '',
    ];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (col > BODY_DUTY_HEADERS.length) return;
      cell.border = BORDER;
      cell.font = { name: '宋体' };
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What the department is for the item, in words. */
export function dutyRole(x: BodyDutiesModel['duties'][number]): string {
  if (x.relation === 'COOPERATING') return '配合';
  if (x.townshipRole === 'RECLAIMED') return '已收回，由本部门实施';
  if (x.townshipRole === 'COOPERATE') return '牵头，乡镇配合';
  return '实施主体';
}
