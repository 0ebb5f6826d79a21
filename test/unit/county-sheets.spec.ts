// The pure parts of reading a county's own workbooks: item codes for files without 事项编码 (match
// by name within the part, new codes never reused, ambiguities reported), the part a sheet holds,
// numbered cooperating-bodies cells and legal-basis cells quoting their article (property-tested).
import fc from 'fast-check';
import { assignItemCodes, codePrefix, nameSimilarity, normalizeItemName } from '../../src/modules/lists/item-codes.js';
import { splitCooperation } from '../../src/modules/lists/item-fields.js';
import { rowToItemInput } from '../../src/modules/lists/list-sheet.js';
import { basisLines, parseLegalBasis, quotedTextOf } from '../../src/modules/legal/citation-parser.js';
import { toChineseNumber } from '../../src/modules/legal/chinese-numeral.js';
import { itemRows, locateHeader, sheetSection } from '../../src/modules/import-export/sheet-table.js';
import type { SheetGrid } from '../../src/modules/import-export/sheet-readers.js';

const TOWN = '320282101000';
const grid = (rows: string[][], name: string | null = null): SheetGrid => ({ name, rows: rows.map((cells, i) => ({ number: i + 1, cells })) });
const row = (name: string, part: string | null, itemCode: string | null = null, where = '第2行') => ({ name, part, itemCode, where });

describe('item codes without a 事项编码 column', () => {
  const inForce = [
    { itemCode: '320282-101-JB-001', name: '农村村民宅基地和建房（规划许可）审批', part: 'BASIC' },
    { itemCode: '320282-101-JB-002', name: '秸秆露天焚烧巡查', part: 'BASIC' },
    { itemCode: '320282-101-PH-001', name: '农药经营监管', part: 'COOPERATIVE' },
  ];
  const everUsed = [...inForce.map((i) => i.itemCode), '320282-101-JB-007' /* removed long ago */];

  it('matches by normalised name (spaces, brackets, punctuation, full-width) within the part and keeps the code', () => {
    const r = assignItemCodes(TOWN, [row('农村村民宅基地和建房(规划许可) 审批', 'BASIC'), row('农药经营监管。', 'COOPERATIVE')], inForce, everUsed);
    expect(r.codes).toEqual(['320282-101-JB-001', '320282-101-PH-001']);
    expect(r.how).toEqual(['MATCHED', 'MATCHED']);
    expect(r.problems).toEqual([]);
  });

  it('gives new rows the next code of their part after every code the list ever used (a removed one is not reused)', () => {
    const r = assignItemCodes(TOWN, [row('新的基本事项', 'BASIC'), row('另一个基本事项', 'BASIC'), row('新的收回事项', 'RECLAIMED'), row('配合甲', 'COOPERATIVE')], inForce, everUsed);
    expect(r.codes).toEqual(['320282-101-JB-008', '320282-101-JB-009', '320282-101-SH-001', '320282-101-PH-002']);
    expect(r.how).toEqual(['NEW', 'NEW', 'NEW', 'NEW']);
  });

  it('codes the file gives count too, and the items they name are not matched again', () => {
    const r = assignItemCodes(TOWN, [row('秸秆露天焚烧巡查', 'BASIC', '320282-101-JB-020'), row('秸秆露天焚烧巡查', 'BASIC')], inForce, everUsed);
    expect(r.codes).toEqual(['320282-101-JB-020', '320282-101-JB-002']);
    const s = assignItemCodes(TOWN, [row('别的', 'BASIC', '320282-101-JB-002'), row('秸秆露天焚烧巡查', 'BASIC'), row('新事项', 'BASIC')], inForce, everUsed);
    expect(s.codes).toEqual(['320282-101-JB-002', '320282-101-JB-008', '320282-101-JB-009']);
  });

  it('a name two items in force share, and two rows matching one item, are errors naming the row, never guessed', () => {
    const twins = [...inForce, { itemCode: '320282-101-JB-003', name: '秸秆露天焚烧 巡查', part: 'BASIC' }];
    const r = assignItemCodes(TOWN, [row('秸秆露天焚烧巡查', 'BASIC', null, '第5行')], twins, everUsed);
    expect(r.codes).toEqual([null]);
    expect(r.problems).toEqual([{ index: 0, level: 'error', message: expect.stringContaining('与现行清单中2个事项同名') }]);
    expect(r.problems[0].message).toContain('320282-101-JB-002');
    expect(r.problems[0].message).toContain('320282-101-JB-003');
    const d = assignItemCodes(TOWN, [row('农药经营监管', 'COOPERATIVE', null, '第3行'), row('农药经营监管', 'COOPERATIVE', null, '第9行')], inForce, everUsed);
    expect(d.codes).toEqual(['320282-101-PH-001', null]);
    expect(d.problems).toEqual([{ index: 1, level: 'error', message: expect.stringContaining('与第3行都对应现行事项“农药经营监管”（320282-101-PH-001）') }]);
  });

  it('a new row close to an unmatched item in force is reported as a probable rename (imported as new, old code named)', () => {
    const r = assignItemCodes(TOWN, [row('秸秆露天焚烧巡查处置', 'BASIC'), row('农村村民宅基地和建房（规划许可）审批', 'BASIC')], inForce, everUsed);
    expect(r.codes[0]).toBe('320282-101-JB-008');
    expect(r.problems).toEqual([{ index: 0, level: 'warning', message: expect.stringContaining('可能是改名') }]);
    expect(r.problems[0].message).toContain('320282-101-JB-002');
  });

  it('a name only in another part moves with its code; an unknown part gets no code (validation names it)', () => {
    expect(assignItemCodes(TOWN, [row('农药经营监管', 'BASIC')], inForce, everUsed).codes).toEqual(['320282-101-PH-001']);
    expect(assignItemCodes(TOWN, [row('全新', null)], inForce, everUsed).codes).toEqual([null]);
    expect(codePrefix('320282100000', 'PENALTY')).toBe('320282-100-CF-');
  });

  it('normalisation and similarity', () => {
    expect(normalizeItemName(' 农药（经营）监管，ABC ')).toBe('农药经营监管abc');
    expect(nameSimilarity('秸秆焚烧巡查', '秸秆焚烧巡查')).toBe(1);
    expect(nameSimilarity('秸秆焚烧巡查', '宅基地审批')).toBe(0);
  });
});

describe('three-part workbooks: the part a sheet holds', () => {
  const header = ['序号', '事项名称', '牵头部门', '上级部门职责', '乡镇配合职责'];
  it('from the sheet name, or a title row above the header; a title naming all parts names none', () => {
    expect(sheetSection(grid([header], '配合履职事项'), 'RESPONSIBILITY')).toBe('COOPERATIVE');
    expect(sheetSection(grid([header], '上级部门收回事项'), 'RESPONSIBILITY')).toBe('RECLAIMED');
    expect(sheetSection(grid([header], '基本'), 'RESPONSIBILITY')).toBe('BASIC');
    expect(sheetSection(grid([['宜兴市西渚镇配合履职事项清单', '宜兴市西渚镇配合履职事项清单'], header], 'Sheet1'), 'RESPONSIBILITY')).toBe('COOPERATIVE');
    expect(sheetSection(grid([['基本履职事项、配合履职事项和上级部门收回事项'], header], 'Sheet1'), 'RESPONSIBILITY')).toBeNull();
    expect(sheetSection(grid([header], '配合履职事项'), 'POWER')).toBeNull();
  });
  it("a 配合履职 sheet reads its own columns (牵头部门, 上级部门职责, 乡镇配合职责) and its rows take the part", () => {
    const g = grid([['宜兴市西渚镇配合履职事项'], header, ['1', '农药经营监管', '宜兴市农业农村局', '负责监管', '配合巡查']], '表2');
    const section = sheetSection(g, 'RESPONSIBILITY');
    const h = locateHeader(g, 'RESPONSIBILITY', section)!;
    expect(h.columns.map((c) => c.field)).toEqual(['name', 'accountableBodyName', 'leadDuty', 'townshipDuty']);
    expect(h.problems).toEqual([]);
    const { rows, problems } = itemRows(g, 'RESPONSIBILITY', h, section);
    expect(problems).toEqual([]);
    expect(rows[0].input).toMatchObject({ itemCode: '', name: '农药经营监管', section: 'COOPERATIVE', accountableBodyName: '宜兴市农业农村局', leadDuty: '负责监管', townshipDuty: '配合巡查' });
  });
  it('a 收回 sheet reads 收回部门, 承接部门, 工作方式; a 清单部分 column takes 基本 / 配合 / 收回', () => {
    const g = grid([['序号', '事项名称', '收回部门', '承接部门', '工作方式'], ['1', '燃气经营许可', '宜兴市住房和城乡建设局', '宜兴市燃气管理所', '派驻']], '上级部门收回事项');
    const h = locateHeader(g, 'RESPONSIBILITY', 'RECLAIMED')!;
    expect(itemRows(g, 'RESPONSIBILITY', h, 'RECLAIMED').rows[0].input).toMatchObject({ section: 'RECLAIMED', accountableBodyName: '宜兴市住房和城乡建设局', takeoverBodyName: '宜兴市燃气管理所', workMode: 'STATIONED' });
    expect(['基本', '配合', '收回', '上级部门收回事项'].map((v) => rowToItemInput({ section: v }).section)).toEqual(['BASIC', 'COOPERATIVE', 'RECLAIMED', 'RECLAIMED']);
    expect(['窗口受理', '线上 办理', '派驻事项'].map((v) => rowToItemInput({ workMode: v }).workMode)).toEqual(['WINDOW', 'ONLINE', 'STATIONED']);
  });
});

// Cells as real lists write them: numbered elements, each on its own line (or after `；`).
const hanzi = fc.constantFrom(...'负责道路交通安全管理巡查处置协调指导监督检查配合做好工作相关事项的和与及在对'.split(''));
const words = (min: number, max: number) => fc.array(hanzi, { minLength: min, maxLength: max }).map((a) => a.join(''));
const punct = fc.constantFrom('，', '、', '；', '。', '\n', '：');
const prose = fc
  .array(fc.tuple(words(1, 8), punct), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.map(([w, p]) => w + p).join('') + '。')
  .map((s) => s.replace(/\n(?=[\s。，、；：])/g, ''));
const BODY = fc.constantFrom('宜兴市公安局', '宜兴市交通运输局', '无锡市宜兴生态环境局', '宜兴市应急管理局', '宜兴市市场监督管理局');
const numbering = fc.constantFrom((n: number) => `${n}.`, (n: number) => `${n}、`, (n: number) => `（${n}）`, (n: number) => `${n}．`);

describe('numbered cooperating-bodies cells (property)', () => {
  it('1.主体：职责\\n2.主体：职责 reads as those bodies with exactly their duties, whatever the duties contain', () => {
    fc.assert(
      fc.property(fc.uniqueArray(BODY, { minLength: 1, maxLength: 4 }), fc.array(prose, { minLength: 4, maxLength: 4 }), numbering, fc.constantFrom('\n', '；\n', '；'), (bodies, duties, num, sep) => {
        const cell = bodies.map((b, i) => `${num(i + 1)}${b}：${duties[i]}`).join(sep);
        const read = rowToItemInput({ cooperating: cell }).cooperating;
        expect(read).toEqual(bodies.map((b, i) => ({ bodyName: b, duty: duties[i].replace(/[；;]$/, '').trim() })));
      }),
      { numRuns: 300 },
    );
  });
  it('the unnumbered form 主体：职责；主体：职责 still splits on ；', () => {
    expect(splitCooperation('宜兴市公安局：负责交通疏导；宜兴市交通运输局：负责道路养护')).toEqual(['宜兴市公安局：负责交通疏导', '宜兴市交通运输局：负责道路养护']);
  });
});

const TITLES = ['中华人民共和国道路交通安全法', '江苏省道路交通安全条例', '中华人民共和国城乡规划法', '农药管理条例'];

describe('legal-basis cells quoting their article (property)', () => {
  it('each numbered line cites only its article; the quoted text stays with it and becomes no citation', () => {
    const line = fc.record({ title: fc.constantFrom(...TITLES), article: fc.integer({ min: 1, max: 299 }), quote: fc.option(prose, { nil: null }) });
    fc.assert(
      fc.property(fc.uniqueArray(line, { minLength: 1, maxLength: 4, selector: (l) => `${l.title}|${l.article}` }), numbering, fc.boolean(), (lines, num, numbered) => {
        const cell = lines
          .map((l, i) => `${numbered ? num(i + 1) : ''}《${l.title}》第${toChineseNumber(l.article)}条${l.quote ? `：${l.quote}` : ''}`)
          .join('\n');
        const citations = parseLegalBasis(cell);
        expect(citations.map((c) => c.label)).toEqual(lines.map((l) => `《${l.title}》第${toChineseNumber(l.article)}条`));
        expect(citations.every((c) => c.parsed)).toBe(true);
        citations.forEach((c, i) => expect(quotedTextOf(c.raw)).toBe(lines[i].quote ? lines[i].quote!.trim() : null));
      }),
      { numRuns: 300 },
    );
  });
  it('the example of the issue: two numbered lines, quoted text over several lines', () => {
    const cell = '1.《中华人民共和国道路交通安全法》第三十九条：公安机关交通管理部门根据道路和交通流量的具体情况，可以对机动车、非机动车、行人采取疏导、限制通行、禁止通行等措施。\n遇有大型群众性活动……\n2.《江苏省道路交通安全条例》第五条第二款：乡镇人民政府应当履行下列职责：（一）宣传；（二）排查。';
    const cs = parseLegalBasis(cell);
    expect(cs.map((c) => c.label)).toEqual(['《中华人民共和国道路交通安全法》第三十九条', '《江苏省道路交通安全条例》第五条第二款']);
    expect(quotedTextOf(cs[0].raw)).toBe('公安机关交通管理部门根据道路和交通流量的具体情况，可以对机动车、非机动车、行人采取疏导、限制通行、禁止通行等措施。\n遇有大型群众性活动……');
    expect(basisLines(cell).map((l) => l.cited)).toEqual(['《中华人民共和国道路交通安全法》第三十九条', '《江苏省道路交通安全条例》第五条第二款']);
  });
});
