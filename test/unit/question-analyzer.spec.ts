import { analyzeQuestion } from '../../src/modules/accountability/question-analyzer.js';
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
const terms = (q: string) => analyzeQuestion(q, synonyms).terms.map((t) => t.term);

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
