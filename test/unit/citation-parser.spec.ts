import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRecords } from '../../src/common/csv.js';
import { citationKey, parseLegalBasis, type ParsedCitation } from '../../src/modules/legal/citation-parser.js';

const CX = '中华人民共和国城乡规划法';

/** Compact view of the understood fields, to keep expectations readable. */
const brief = (c: ParsedCitation) => [c.instrumentTitle, c.article, c.paragraph, c.item];
const labels = (text: string) => parseLegalBasis(text).map((c) => c.label);

describe('parseLegalBasis: single citations', () => {
  it('parses a titled article with a canonical label and key', () => {
    const [c, ...rest] = parseLegalBasis(`《${CX}》第六十五条`);
    expect(rest).toEqual([]);
    expect(c).toEqual({
      raw: `《${CX}》第六十五条`,
      instrumentTitle: CX,
      article: 65,
      paragraph: null,
      item: null,
      label: `《${CX}》第六十五条`,
      parsed: true,
    });
    expect(citationKey(c)).toBe(`${CX}|65||`);
  });

  it('parses 条 + 款 + 项 with full- and half-width brackets alike', () => {
    for (const text of [`《${CX}》第六十五条第二款第（三）项`, `《${CX}》第六十五条第二款第(三)项`, `《${CX}》第六十五条第二款第三项`]) {
      const [c] = parseLegalBasis(text);
      expect(brief(c)).toEqual([CX, 65, 2, 3]);
      expect(c.label).toBe(`《${CX}》第六十五条第二款第（三）项`);
      expect(citationKey(c)).toBe(`${CX}|65|2|3`);
      expect(c.raw).toBe(text);
    }
  });

  it('parses 条 + 项 without 款', () => {
    expect(brief(parseLegalBasis('《中华人民共和国行政处罚法》第九条第（六）项')[0])).toEqual(['中华人民共和国行政处罚法', 9, null, 6]);
  });

  it('parses Arabic and full-width digits, printing Chinese numerals in the label', () => {
    expect(labels(`《${CX}》第65条第2款`)).toEqual([`《${CX}》第六十五条第二款`]);
    expect(labels(`《${CX}》第６５条`)).toEqual([`《${CX}》第六十五条`]);
    expect(labels(`《${CX}》第24条第1款第(3)项`)).toEqual([`《${CX}》第二十四条第一款第（三）项`]);
  });

  it('parses numerals up to the thousands', () => {
    expect(brief(parseLegalBasis('《中华人民共和国大气污染防治法》第一百一十九条第一款')[0])).toEqual(['中华人民共和国大气污染防治法', 119, 1, null]);
    expect(brief(parseLegalBasis('《中华人民共和国民法典》第一千零二十三条')[0])).toEqual(['中华人民共和国民法典', 1023, null, null]);
    expect(parseLegalBasis('《中华人民共和国民法典》第一千零二十三条')[0].label).toBe('《中华人民共和国民法典》第一千零二十三条');
  });

  it('treats a title without clause as the whole instrument', () => {
    const [c] = parseLegalBasis('《江苏省城乡规划条例》');
    expect(c).toMatchObject({ instrumentTitle: '江苏省城乡规划条例', article: null, parsed: true, label: '《江苏省城乡规划条例》' });
    expect(citationKey(c)).toBe('江苏省城乡规划条例|||');
  });

  it('keeps titles that contain brackets or separators intact', () => {
    const title = '江苏省人民政府关于赋予乡镇（街道）部分县级行政处罚权的决定';
    expect(parseLegalBasis(`《${title}》`).map(brief)).toEqual([[title, null, null, null]]);
    expect(parseLegalBasis('《关于甲、乙；丙的决定》第一条').map(brief)).toEqual([['关于甲、乙；丙的决定', 1, null, null]]);
    // legal.csv typesets parentheses full-width; normalise so keys compare equal.
    expect(parseLegalBasis('《江苏省人民政府关于赋予乡镇(街道)部分县级行政处罚权的决定》')[0].instrumentTitle).toBe(title);
  });

  it('parses a bare clause without any title', () => {
    const [c] = parseLegalBasis('第三十七条第二款');
    expect(c).toMatchObject({ instrumentTitle: null, article: 37, paragraph: 2, parsed: true, label: '第三十七条第二款' });
    expect(citationKey(c)).toBe('|37|2|');
    expect(brief(parseLegalBasis('第二十四条第一款第（三）项')[0])).toEqual([null, 24, 1, 3]);
  });
});

describe('parseLegalBasis: titles without 《》', () => {
  it('takes the text before the first 第 when it ends like an instrument name', () => {
    expect(parseLegalBasis(`${CX}第六十五条`).map(brief)).toEqual([[CX, 65, null, null]]);
    expect(parseLegalBasis('城乡规划法第六十五条第一款').map(brief)).toEqual([['城乡规划法', 65, 1, null]]);
    expect(parseLegalBasis('社会救助暂行办法第十一条')[0].label).toBe('《社会救助暂行办法》第十一条');
    expect(parseLegalBasis('江苏省实施《中华人民共和国土地管理法》办法第十条')[0].parsed).toBe(false); // 《》 inside: not a plain title
  });

  it.each(['条例', '规定', '办法', '决定', '细则', '规则', '意见', '通知', '决议', '规章', '暂行办法', '实施细则'])('accepts titles ending in %s', (suffix) => {
    expect(parseLegalBasis(`某某管理${suffix}第三条`).map(brief)).toEqual([[`某某管理${suffix}`, 3, null, null]]);
  });

  it('accepts a plain title alone when it ends like an instrument name', () => {
    expect(parseLegalBasis('江苏省城乡规划条例')[0]).toMatchObject({ instrumentTitle: '江苏省城乡规划条例', article: null, parsed: true, label: '《江苏省城乡规划条例》' });
  });

  it('rejects vague references that only end like an instrument name', () => {
    for (const text of ['国家有关规定', '相关法律法规', '依法', '办法', '其他有关规定第三条']) {
      expect(parseLegalBasis(text)).toEqual([{ raw: text, instrumentTitle: null, article: null, paragraph: null, item: null, label: text, parsed: false }]);
    }
  });
});

describe('parseLegalBasis: lists', () => {
  it('inherits the most recent title for bare clauses', () => {
    const cs = parseLegalBasis('《社会救助暂行办法》第十一条、第十六条、第四十八条');
    expect(cs.map(brief)).toEqual([
      ['社会救助暂行办法', 11, null, null],
      ['社会救助暂行办法', 16, null, null],
      ['社会救助暂行办法', 48, null, null],
    ]);
    expect(cs.map((c) => c.raw)).toEqual(['《社会救助暂行办法》第十一条', '第十六条', '第四十八条']);
    expect(cs[1].label).toBe('《社会救助暂行办法》第十六条');
  });

  it('mixes grouped articles with 款', () => {
    expect(labels('《中华人民共和国大气污染防治法》第七十七条、第七十六条第一款')).toEqual([
      '《中华人民共和国大气污染防治法》第七十七条',
      '《中华人民共和国大气污染防治法》第七十六条第一款',
    ]);
  });

  it('splits on 、 ； ; and line breaks, switching title at each new instrument', () => {
    const text = '《甲法》第一条；《乙条例》第二条、第三条;《丙办法》第四条\n《丁规定》第五条\r\n第六条';
    expect(parseLegalBasis(text).map(brief)).toEqual([
      ['甲法', 1, null, null],
      ['乙条例', 2, null, null],
      ['乙条例', 3, null, null],
      ['丙办法', 4, null, null],
      ['丁规定', 5, null, null],
      ['丁规定', 6, null, null],
    ]);
  });

  it('splits on a comma only between instruments', () => {
    expect(labels('《甲法》第一条，《乙条例》第二条, 丙办法第三条')).toEqual(['《甲法》第一条', '《乙条例》第二条', '《丙办法》第三条']);
    // A comma followed by anything else stays inside the fragment, which is then kept as written.
    const cs = parseLegalBasis('《甲法》第一条，第二条；《乙条例》第三条');
    expect(cs[0]).toMatchObject({ raw: '《甲法》第一条，第二条', instrumentTitle: '甲法', parsed: false, label: '《甲法》第一条，第二条' });
    expect(brief(cs[1])).toEqual(['乙条例', 3, null, null]);
  });

  it('lets a bare 款 or 项 inherit the previous article (and 款)', () => {
    expect(labels('《甲法》第三条第一款、第二款、第（三）项')).toEqual(['《甲法》第三条第一款', '《甲法》第三条第二款', '《甲法》第三条第二款第（三）项']);
    expect(labels('《甲法》第五条第一项、第二项')).toEqual(['《甲法》第五条第（一）项', '《甲法》第五条第（二）项']);
  });

  it('does not inherit an article across instruments or with nothing before', () => {
    expect(parseLegalBasis('第二款')[0]).toMatchObject({ parsed: false, label: '第二款' });
    expect(parseLegalBasis('《甲法》第三条；《乙法》第二款')[1]).toMatchObject({ instrumentTitle: '乙法', article: null, parsed: false, label: '《乙法》第二款' });
    expect(parseLegalBasis('《甲法》；第二款')[1]).toMatchObject({ parsed: false });
  });

  it('gives a title-less bare clause a null title when no title came before', () => {
    expect(parseLegalBasis('第三条、《甲法》第四条').map(brief)).toEqual([
      [null, 3, null, null],
      ['甲法', 4, null, null],
    ]);
  });

  it('deduplicates exact duplicates, keeping the first', () => {
    const cs = parseLegalBasis('《甲法》第一条；《甲法》第一条、第二条；甲法第一条；有关规定；有关规定');
    expect(cs.map((c) => c.raw)).toEqual(['《甲法》第一条', '第二条', '有关规定']);
    // Different 款 are different citations.
    expect(parseLegalBasis('《甲法》第一条；《甲法》第一条第一款')).toHaveLength(2);
  });
});

describe('parseLegalBasis: ranges', () => {
  it.each(['《甲法》第三条至第五条', '《甲法》第三至五条', '《甲法》第三条到第五条', '《甲法》第三至第五条', '《甲法》第3条至第5条'])('expands %s', (text) => {
    const cs = parseLegalBasis(text);
    expect(cs.map(brief)).toEqual([
      ['甲法', 3, null, null],
      ['甲法', 4, null, null],
      ['甲法', 5, null, null],
    ]);
    expect(cs.every((c) => c.raw === text && c.parsed)).toBe(true);
  });

  it('expands up to 50 apart, otherwise keeps the range unparsed with its title', () => {
    expect(parseLegalBasis('《甲法》第一条至第五十一条')).toHaveLength(51);
    for (const text of ['《甲法》第一条至第五十二条', '《甲法》第五条至第三条']) {
      expect(parseLegalBasis(text)).toEqual([{ raw: text, instrumentTitle: '甲法', article: null, paragraph: null, item: null, label: text, parsed: false }]);
    }
  });

  it('lets a bare clause after a range inherit the title', () => {
    expect(labels('《甲法》第一条至第二条、第九条')).toEqual(['《甲法》第一条', '《甲法》第二条', '《甲法》第九条']);
  });
});

describe('parseLegalBasis: tolerance', () => {
  it('returns [] for empty input', () => {
    for (const text of [null, undefined, '', '  \n\u3000 ']) expect(parseLegalBasis(text)).toEqual([]);
  });

  it('ignores whitespace, full-width spaces and trailing 。', () => {
    const cs = parseLegalBasis(' 《中华人民共和国城乡规划法 》 第 六十五 条\u3000第二款。 ');
    expect(cs.map(brief)).toEqual([[CX, 65, 2, null]]);
    expect(cs[0].raw).toBe('《中华人民共和国城乡规划法 》 第 六十五 条\u3000第二款');
  });

  it('ignores a trailing 等 and keeps going', () => {
    expect(labels('《甲法》第三条等；《乙法》第四条')).toEqual(['《甲法》第三条', '《乙法》第四条']);
    expect(parseLegalBasis('第三条等')[0]).toMatchObject({ raw: '第三条等', article: 3, parsed: true });
    expect(labels('《甲法》等')).toEqual(['《甲法》']);
  });

  it('ignores a lead-in verb and a trailing 的规定', () => {
    expect(labels('根据《甲法》第三条的规定')).toEqual(['《甲法》第三条']);
  });
});

describe('parseLegalBasis: failures are kept as written', () => {
  const unparsed = (raw: string, title: string | null = null): ParsedCitation => ({
    raw,
    instrumentTitle: title,
    article: null,
    paragraph: null,
    item: null,
    label: raw,
    parsed: false,
  });

  it.each(['有关法律法规', '第X条', '《未闭合标题第三条', '第十条条', '第三款第一条', '第（三）条', '第零条', '三条', '甲乙丙', '》第三条'])('%s', (text) => {
    const [c, ...rest] = parseLegalBasis(text);
    expect(rest).toEqual([]);
    expect(c).toEqual(unparsed(text));
    expect(citationKey(c)).toBe(`raw:${text}`);
  });

  it('keeps the title of a fragment whose clause is malformed', () => {
    for (const text of ['《甲法》第X条', '《甲法》第三条第X款', '《甲法》第三条附件', '《甲法》第三条第一款第一款', '《甲法》第一万条', '前言《甲法》第三条']) {
      expect(parseLegalBasis(text)).toEqual([unparsed(text, '甲法')]);
    }
  });

  it('keeps parsing after a failure, and an unclosed 《 does not swallow the next instrument', () => {
    const cs = parseLegalBasis('《甲法》第三条；有关法律法规；《未闭合第四条；《乙法》第五条、第X条、第六条');
    expect(cs.map((c) => [c.label, c.parsed])).toEqual([
      ['《甲法》第三条', true],
      ['有关法律法规', false],
      ['《未闭合第四条', false],
      ['《乙法》第五条', true],
      ['第X条', false],
      ['《乙法》第六条', true],
    ]);
  });
});

// ---------------------------------------------------------------- fixtures

/** The demo county's lists, as shipped with the registry (src/seed/demo). */
const FIXTURES = 'src/seed/demo';
const readCsv = (path: string) => readCsvRecords(readFileSync(path, 'utf8'));

describe('parseLegalBasis: demo fixtures', () => {
  const files = ['town-A-responsibility.csv', 'town-A-power.csv', 'town-B-responsibility.csv'];
  // Every citation must name a provision of legal.csv: 《法规名称》条款 (条款 empty for a whole instrument).
  const provisions = new Set(readCsv(join(FIXTURES, 'legal.csv')).map((r) => `《${r['法规名称']}》${r['条款']}`));

  it.each(files)('parses every citation of %s', (file) => {
    const rows = readCsv(join(FIXTURES, file));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const basis = row['实施依据'];
      const cs = parseLegalBasis(basis);
      expect(cs.length).toBeGreaterThan(0);
      for (const c of cs) {
        expect({ basis, raw: c.raw, parsed: c.parsed }).toEqual({ basis, raw: c.raw, parsed: true });
        expect(c.instrumentTitle).not.toBeNull();
        expect({ basis, label: c.label, known: provisions.has(c.label) }).toEqual({ basis, label: c.label, known: true });
      }
    }
  });

  it('reads real town-B grouping the way the grammar says', () => {
    const bases = readCsv(join(FIXTURES, 'town-B-responsibility.csv')).map((r) => r['实施依据']);
    const grouped = bases.find((b) => b === '《社会救助暂行办法》第十一条、第十六条、第四十八条');
    expect(grouped).toBeDefined();
    expect(labels(grouped!)).toEqual(['《社会救助暂行办法》第十一条', '《社会救助暂行办法》第十六条', '《社会救助暂行办法》第四十八条']);
    expect(labels('《中华人民共和国土地管理法》第七十八条第一款、《中华人民共和国行政处罚法》第二十条')).toEqual([
      '《中华人民共和国土地管理法》第七十八条第一款',
      '《中华人民共和国行政处罚法》第二十条',
    ]);
  });

  it('reads real town-A lists with a whole-instrument citation', () => {
    const cs = parseLegalBasis(
      '《中华人民共和国城乡规划法》第六十五条；《村庄和集镇规划建设管理条例》第三十七条第二款；《中华人民共和国土地管理法》第七十八条第一款；《中华人民共和国行政处罚法》第二十四条第一款；《江苏省人民政府关于赋予乡镇（街道）部分县级行政处罚权的决定》',
    );
    expect(cs.map(citationKey)).toEqual([
      '中华人民共和国城乡规划法|65||',
      '村庄和集镇规划建设管理条例|37|2|',
      '中华人民共和国土地管理法|78|1|',
      '中华人民共和国行政处罚法|24|1|',
      '江苏省人民政府关于赋予乡镇（街道）部分县级行政处罚权的决定|||',
    ]);
  });
});
