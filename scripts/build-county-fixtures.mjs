// Builds the sample workbooks of test/fixtures/ from the demo county's content (src/seed/demo/
// town-A-responsibility.csv, 宜兴市张渚镇), in the three shapes counties publish their
// 乡镇（街道）履行职责事项清单 — without 事项编码, numbered by 序号:
//   county-three-sheets.xlsx    one sheet per part (基本履职事项, 配合履职事项, 上级部门收回事项), each
//                               with a merged title row and the part's own columns
//   county-title-rows.xlsx      one sheet, the three parts one under the other, each under its title row
//                               (一、基本履职事项…) with its own header
//   county-section-column.xlsx  one table, a 清单部分 column saying 基本 / 配合 / 收回
// Real lists' habits are kept on purpose: merged title rows, 序号, numbered multi-line cells
// (1.宜兴市市场监督管理局：…\n2.宜兴市消防救援大队：…), a legal basis quoting its article after `：`,
// and, for one reclaimed item, its 承接部门 and 工作方式. Run: node scripts/build-county-fixtures.mjs
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const records = parse(fs.readFileSync(path.join(root, 'src/seed/demo/town-A-responsibility.csv')), { columns: true, bom: true });
const numbered = (cell) => cell.split('；').map((x, i) => `${i + 1}.${x}`).join('\n');

const rows = records.map((r) => {
  const row = { ...r, 承接部门: '', 工作方式: '', 上级部门职责: '' };
  // Numbered, one body per line, as county offices write several cooperating bodies.
  if (r['事项编码'] === '320282-100-PH-003' || r['事项编码'] === '320282-100-PH-004') row['配合部门及职责'] = numbered(r['配合部门及职责']);
  // A legal basis quoting the article it cites (two lines of quoted text).
  if (r['事项编码'] === '320282-100-PH-010')
    row['实施依据'] = `1.${r['实施依据']}：国家实行河道采砂许可制度。河道采砂许可制度实施办法，由国务院规定。\n在河道管理范围内采砂，影响河势稳定或者危及堤防安全的，有关县级以上人民政府水行政主管部门应当划定禁采区和规定禁采期，并予以公告。`;
  // A reclaimed item with the unit that handles it now, and how.
  if (r['事项编码'] === '320282-100-SH-002') Object.assign(row, { 承接部门: '宜兴市公安局张渚派出所', 工作方式: '派驻', 配合部门及职责: '' });
  return row;
});

const PARTS = [
  { key: '基本履职', sheet: '基本履职事项', short: '基本', heading: '一、基本履职事项',
    columns: [['事项名称', '事项名称'], ['事项描述', '事项描述'], ['实施依据', '实施依据'], ['责任主体', '责任主体'], ['配合部门及职责', '配合部门及职责'], ['乡镇职责', '乡镇职责'], ['村级职责', '村级职责'], ['责任事项', '责任事项'], ['追责情形', '追责情形'], ['免责情形', '免责情形'], ['关键词', '关键词']] },
  { key: '配合履职', sheet: '配合履职事项', short: '配合', heading: '二、配合履职事项',
    columns: [['事项名称', '事项名称'], ['事项描述', '事项描述'], ['法律依据', '实施依据'], ['牵头部门', '责任主体'], ['上级部门职责', '上级部门职责'], ['配合部门及职责', '配合部门及职责'], ['乡镇配合职责', '乡镇职责'], ['村级职责', '村级职责'], ['责任事项', '责任事项'], ['追责情形', '追责情形'], ['免责情形', '免责情形'], ['关键词', '关键词']] },
  { key: '上级部门收回', sheet: '上级部门收回事项', short: '收回', heading: '三、上级部门收回事项',
    columns: [['事项名称', '事项名称'], ['事项描述', '事项描述'], ['实施依据', '实施依据'], ['收回部门', '责任主体'], ['承接部门', '承接部门'], ['工作方式', '工作方式'], ['配合部门及职责', '配合部门及职责'], ['乡镇职责', '乡镇职责'], ['村级职责', '村级职责'], ['责任事项', '责任事项'], ['追责情形', '追责情形'], ['免责情形', '免责情形'], ['关键词', '关键词']] },
];

function title(sheet, rowNumber, width, text) {
  sheet.getRow(rowNumber).getCell(1).value = text;
  sheet.mergeCells(rowNumber, 1, rowNumber, width);
  sheet.getRow(rowNumber).getCell(1).font = { bold: true, size: 14 };
  sheet.getRow(rowNumber).getCell(1).alignment = { horizontal: 'center' };
}
function table(sheet, at, part) {
  sheet.getRow(at).values = ['序号', ...part.columns.map(([h]) => h)];
  sheet.getRow(at).font = { bold: true };
  rows.filter((r) => r['清单部分'] === part.key).forEach((r, i) => {
    const row = sheet.getRow(at + 1 + i);
    row.values = [i + 1, ...part.columns.map(([, field]) => r[field])];
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  return at + 1 + rows.filter((r) => r['清单部分'] === part.key).length;
}
const widths = (sheet, n) => (sheet.columns = [{ width: 6 }, ...Array.from({ length: n }, () => ({ width: 24 }))]);
const out = (name) => path.join(root, 'test/fixtures', name);
fs.mkdirSync(path.join(root, 'test/fixtures'), { recursive: true });

// 1. One sheet per part.
{
  const wb = new ExcelJS.Workbook();
  for (const part of PARTS) {
    const s = wb.addWorksheet(part.sheet);
    widths(s, part.columns.length);
    title(s, 1, part.columns.length + 1, `宜兴市张渚镇${part.sheet}清单`);
    table(s, 2, part);
  }
  await wb.xlsx.writeFile(out('county-three-sheets.xlsx'));
}
// 2. One sheet, three tables, each under its title row.
{
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('履行职责事项清单');
  widths(s, 13);
  title(s, 1, 14, '宜兴市张渚镇履行职责事项清单');
  let at = 2;
  for (const part of PARTS) {
    title(s, at, part.columns.length + 1, part.heading);
    at = table(s, at + 1, part) + 1; // an empty row between the tables
  }
  await wb.xlsx.writeFile(out('county-title-rows.xlsx'));
}
// 3. One table, a 清单部分 column.
{
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('清单');
  const columns = [['清单部分', null], ['事项名称', '事项名称'], ['事项描述', '事项描述'], ['实施依据', '实施依据'], ['责任主体', '责任主体'], ['牵头部门职责', '上级部门职责'],
    ['承接部门', '承接部门'], ['工作方式', '工作方式'], ['配合部门及职责', '配合部门及职责'], ['乡镇职责', '乡镇职责'], ['村级职责', '村级职责'], ['责任事项', '责任事项'], ['追责情形', '追责情形'], ['免责情形', '免责情形'], ['关键词', '关键词']];
  widths(s, columns.length);
  title(s, 1, columns.length + 1, '宜兴市张渚镇履行职责事项清单');
  s.getRow(2).values = ['序号', ...columns.map(([h]) => h)];
  rows.forEach((r, i) => {
    const short = PARTS.find((p) => p.key === r['清单部分']).short;
    s.getRow(3 + i).values = [i + 1, ...columns.map(([h, field]) => (h === '清单部分' ? short : r[field]))];
  });
  await wb.xlsx.writeFile(out('county-section-column.xlsx'));
}
console.log('wrote test/fixtures/county-three-sheets.xlsx, county-title-rows.xlsx, county-section-column.xlsx');
