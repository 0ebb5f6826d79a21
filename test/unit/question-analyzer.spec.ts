import { analyzeQuestion, questionIntent } from '../../src/modules/accountability/question-analyzer.js';
import { answers, MIN_COVERAGE, questionCoverage } from '../../src/modules/accountability/accountability.service.js';
import type { QueryTerm } from '../../src/modules/accountability/question-analyzer.js';
import { buildLexicon } from '../../src/modules/accountability/concept-lexicon.js';
import { segmentForIndex } from '../../src/modules/accountability/chinese-text.js';
import { memoizedSegmentation, searchDocument } from '../../src/modules/accountability/item-search-document.js';
import { CONTENT_FIELDS, type ItemContent } from '../../src/modules/lists/item-fields.js';

/** An item's content: every field empty but those given. */
const content = (values: Partial<ItemContent>): ItemContent => ({ ...Object.fromEntries(CONTENT_FIELDS.map((f) => [f.key, f.codec.fromRow(null)])), ...values }) as ItemContent;
const citation = (label: string) => ({ raw: label, label, resolved: true, instrumentTitle: null });

const synonyms = new Map([
  ['违建', ['违法建设', '违章建筑']],
  ['乱搭', ['违法建设', '乱搭乱建']],
  ['烧地', ['秸秆焚烧']],
  ['低保', ['最低生活保障']],
]);
/** The synonym table alone (no concept lexicon), as the first tests describe it. */
const noLexicon = buildLexicon([]);
const terms = (q: string) => analyzeQuestion(q, synonyms, noLexicon).terms.map((t) => t.term);
const withLexicon = (q: string) => analyzeQuestion(q, synonyms).terms.map((t) => t.term);

describe('question analysis', () => {
  it('drops question words and filler', () => {
    const t = terms('村口有人乱搭棚子归哪里管');
    expect(t).not.toEqual(expect.arrayContaining(['归', '哪里', '管', '有人']));
    expect(t).toContain('棚子');
  });

  it('expands colloquial forms found anywhere in the question, and keeps the form itself', () => {
    expect(terms('村口有人乱搭棚子归哪里管')).toEqual(expect.arrayContaining(['乱搭', '违法建设', '乱搭乱建']));
    expect(terms('收完麦子有人烧地冒黑烟')).toContain('秸秆焚烧');
    expect(terms('家里困难想吃低保')).toContain('最低生活保障');
  });

  it('weights expansions above ordinary words and makes a compound word\'s parts alternatives of it', () => {
    const analyzed = analyzeQuestion('违建', synonyms);
    const expansion = analyzed.terms.find((t) => t.term === '违法建设')!;
    expect(expansion).toMatchObject({ fromSynonym: true, tokens: ['违法建设'] });
    const compound = analyzeQuestion('能领一笔扶助金吗', new Map()).terms;
    const whole = compound.find((t) => t.term === '扶助金')!;
    const part = compound.find((t) => t.term === '扶助')!;
    expect(part.group).toBe(whole.group);
    expect(part.weight).toBeLessThan(whole.weight);
  });

  it('refuses empty, overlong and control-character questions naming the field', () => {
    for (const q of ['', '  ', '问'.repeat(201), '违建\u0000']) {
      expect(() => analyzeQuestion(q, synonyms)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'question' } }));
    }
    expect(() => analyzeQuestion('问'.repeat(200), synonyms)).not.toThrow();
  });

  it('understands nothing in a question of filler only', () => {
    expect(terms('请问这个归谁管？')).toEqual([]);
  });
});

describe('question intent and duty words', () => {
  it.each([
    '上面让我们查企业安全生产我们有这个职责吗',
    '河道采砂我们镇管不管',
    '农村低保审核是不是我们的职责',
    '县里让我们负责秸秆禁烧',
    '燃气安全检查归不归我们管',
    '我们镇要管非煤矿山吗',
  ])('reads %s as a "do we have this duty" question', (q) => {
    expect(questionIntent(q)).toBe('DUTY_CHECK');
    expect(analyzeQuestion(q, synonyms).intent).toBe('DUTY_CHECK');
  });

  it.each(['村口有人乱搭棚子归哪里管', '低保找谁', '有没有高龄补贴', '邻居家孩子不念书了'])('reads %s as asking who is accountable', (q) => {
    expect(questionIntent(q)).toBe('WHO_IS_ACCOUNTABLE');
  });

  it('keeps duty words out of the terms: they ask about the duty, not the matter', () => {
    const t = withLexicon('上面让我们查企业安全生产我们有这个职责吗');
    for (const w of ['职责', '上面', '我们', '这个', '有没有']) expect(t).not.toContain(w);
    expect(t).toEqual(expect.arrayContaining(['安全生产监督检查']));
    expect(withLexicon('这个职责归谁？我们管不管？')).toEqual([]);
  });
});

describe('the concept lexicon in questions', () => {
  it('expands everyday words to the official terms of the lists, a concept counting once', () => {
    const analyzed = analyzeQuestion('邻居家孩子才十四岁就不念书了', new Map());
    expect(analyzed.concepts).toContain('控辍保学');
    const official = analyzed.terms.find((t) => t.term === '控辍保学')!;
    const other = analyzed.terms.find((t) => t.term === '劝返复学')!;
    expect(official).toMatchObject({ fromSynonym: true });
    expect(other.group).toBe(official.group);
    expect(withLexicon('娃刚生下来要去报户')).toContain('出生登记');
  });

  it('searches 沙 and 砂 alike', () => {
    const t = analyzeQuestion('半夜有船在河里抽沙', new Map()).terms.map((x) => x.term);
    expect(t).toEqual(expect.arrayContaining(['河道采砂', '河道采沙']));
    expect(analyzeQuestion('有人在河里采沙', new Map()).terms.map((x) => x.term)).toEqual(expect.arrayContaining(['采沙', '采砂']));
  });

  it('takes a two-character expression only as a word of the question', () => {
    // 产检 (prenatal check) is in the lexicon; 企业安全生产检查 holds the characters, not the word.
    expect(analyzeQuestion('企业安全生产检查', new Map()).concepts).not.toContain('妇幼保健');
    expect(analyzeQuestion('怀孕了去哪里产检', new Map()).concepts.length).toBeGreaterThan(0);
  });

  it('reads a synonym-table form as its lexicon concept too', () => {
    const own = new Map([['抽沙', ['土地整治']]]);
    const analyzed = analyzeQuestion('抽沙', own);
    expect(analyzed.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['土地整治', '河道采砂']));
    expect(analyzed.concepts).toContain('河道采砂');
  });

  it("adds a concept's distinctive words as weaker alternatives of its official terms, never generic ones or numbers", () => {
    const analyzed = analyzeQuestion('婆媳两个天天吵', new Map());
    const official = analyzed.terms.find((t) => t.term === '婚姻家庭纠纷')!;
    const word = analyzed.terms.find((t) => t.term === '纠纷')!;
    expect(word.group).toBe(official.group);
    expect(word.weight).toBeLessThan(official.weight);
    const land = analyzeQuestion('承包合同写得不清楚', new Map()).terms.map((t) => t.term);
    expect(land).not.toContain('三十年');
    expect(land).not.toContain('管理');
  });

  it('marks a matter handled elsewhere and searches it by its own terms only', () => {
    const analyzed = analyzeQuestion('住房公积金怎么提取', new Map());
    expect(analyzed.elsewhere).toBe(true);
    expect(analyzed.terms.map((t) => t.term)).not.toContain('住房');
    expect(analyzeQuestion('村里有人私搭乱建', new Map()).elsewhere).toBe(false);
  });
});

describe('segmentation for the index', () => {
  it('cuts domain words whole and in search mode', () => {
    expect(segmentForIndex('乡镇人民政府负责查处乡村违法建设')).toEqual(expect.arrayContaining(['乡镇', '人民政府', '查处', '违法', '建设']));
    expect(segmentForIndex('禁止乱搭乱建')).toContain('乱搭乱建');
    expect(segmentForIndex('，。；')).toEqual([]);
  });

  it('puts name and keywords first, keywords also as whole phrases', () => {
    const doc = searchDocument(
      content({ name: '秸秆禁烧与综合利用', keywords: ['烧麦茬', '露天焚烧'], description: '开展巡查', townshipDuty: '组织扑灭' }),
      { citations: [citation('《中华人民共和国大气污染防治法》第七十七条')] },
    );
    expect(doc.a.split(' ')).toEqual(expect.arrayContaining(['秸秆', '禁烧', '烧麦茬', '露天焚烧']));
    expect(doc.b).toContain('巡查');
    expect(doc.c).toContain('扑灭');
    expect(doc.d).toContain('大气');
  });

  it('builds the same document with the per-import segmentation memo as without it', () => {
    const item = (n: number) =>
      content({
        name: `农村村民建房审批（${n}）`, keywords: ['盖房'], description: `受理村民建房申请。第${n}项`, townshipDuty: '组织现场踏勘', villageDuty: '村级初审',
        cooperating: [{ bodyId: 'b', duty: '提供规划意见' }], stagedDuties: ['组织现场踏勘'],
      });
    const citations = { citations: [citation('《中华人民共和国土地管理法》第六十二条')] };
    const memo = memoizedSegmentation();
    for (const n of [1, 2, 1]) expect(searchDocument(item(n), citations, memo)).toEqual(searchDocument(item(n), citations));
    expect(memo(null)).toBe('');
  });
});

describe('whether an item answers the question at all', () => {
  const term = (t: string, weight: number, group = t): QueryTerm => ({ term: t, tokens: [t], weight, fromSynonym: false, group });
  it('measures the share of the question an item accounts for, a group by its strongest matched term', () => {
    const terms = [term('河道采砂', 2.6, '概念:河道采砂'), term('采砂', 1, '概念:河道采砂'), term('晚上', 1.5)];
    expect(questionCoverage(terms, ['河道采砂'])).toBeCloseTo(2.6 / 4.1);
    expect(questionCoverage(terms, ['采砂'])).toBeCloseTo(1 / 4.1);
    expect(questionCoverage(terms, [])).toBe(0);
  });

  it(`needs ${Math.round(MIN_COVERAGE * 100)}% of the question, and a concept of a matter handled elsewhere`, () => {
    const plain = [term('住房', 0.5), term('公积金', 8)];
    expect(answers({ terms: plain, elsewhere: false }, ['住房'])).toBe(false);
    const elsewhere = analyzeQuestion('信用卡逾期了', new Map());
    expect(answers({ terms: [...elsewhere.terms, term('逾期', 0.1)], elsewhere: true }, ['逾期'])).toBe(false);
    expect(answers({ terms: [...elsewhere.terms, term('逾期', 0.1)], elsewhere: true }, ['信用卡'])).toBe(true);
  });
});
