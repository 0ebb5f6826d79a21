import { analyzeQuestion, MAX_QUESTION_LENGTH } from '../../src/modules/accountability/question-analyzer.js';
import { burdenFlags, duplicateForms, type ReportingRequirements } from '../../src/modules/admission/burden-flags.js';
import { taskQuestion } from '../../src/modules/admission/list-matcher.js';
import { ACCEPT_SCORE, decideVerdict, SURE_SCORE, WEAK_SCORE, type Candidate, type VerdictInput } from '../../src/modules/admission/verdict.js';

const NONE: ReportingRequirements = { frequency: 'ONCE', sameDay: false, forms: [], photos: false, meetings: false, responsibilityLetter: false, assessmentWeight: null };
const kinds = (r: Partial<ReportingRequirements>) => burdenFlags({ ...NONE, ...r }).map((f) => f.kind);

describe('burden flags', () => {
  it('the anecdote: every day, the same day, a form — daily and same-day reporting', () => {
    expect(kinds({ frequency: 'DAILY', sameDay: true, forms: ['矛盾纠纷排查化解登记表'] })).toEqual(['DAILY_REPORTING', 'SAME_DAY_REPORTING']);
  });

  it('one flag per burden, each with a reason in Chinese', () => {
    const flags = burdenFlags({ ...NONE, frequency: 'WEEKLY', photos: true, meetings: true, responsibilityLetter: true });
    expect(flags.map((f) => f.kind)).toEqual(['WEEKLY_REPORTING', 'PHOTO_EVIDENCE', 'RESPONSIBILITY_LETTER', 'MEETINGS']);
    for (const f of flags) expect(f.reason).toMatch(/[\u4e00-\u9fff]{4}/);
    expect(flags[0].reason).toContain('52次');
  });

  it('monthly or one-off reporting without extras is no burden flag', () => {
    expect(kinds({ frequency: 'MONTHLY', forms: ['工作开展情况统计表'] })).toEqual([]);
    expect(kinds({})).toEqual([]);
  });

  it('duplicate forms: data another system or this registry holds, and the same form asked twice', () => {
    expect(duplicateForms(['低保对象花名册'])[0]).toContain('社会救助信息系统');
    expect(duplicateForms(['户籍人口核查表'])[0]).toContain('人口信息');
    expect(duplicateForms(['乡镇职责清单对照表'])[0]).toContain('本系统');
    expect(duplicateForms(['纸质巡查台账', '电子巡查台账'])).toEqual(['「电子巡查台账」与「纸质巡查台账」是同一份数据，重复要求填报']);
    expect(duplicateForms(['河道巡查记录表', '农家书屋借阅台账'])).toEqual([]);
    expect(kinds({ forms: ['参保人员花名册'] })).toEqual(['DUPLICATE_FORMS']);
  });
});

const candidate = (over: Partial<Candidate>): Candidate => ({
  itemId: over.itemCode ?? 'id', itemCode: 'X-JB-001', name: '事项', kind: 'RESPONSIBILITY', section: 'BASIC', townshipRole: 'LEAD',
  accountableBodyId: 'town', townshipDuty: null, versionId: 'v', score: 0, matchedTerms: [], citedArticles: [], accountableBodyName: '某镇人民政府', listLabel: '责任清单第1版',
  ...over,
});
const input = (candidates: Candidate[], over: Partial<VerdictInput> = {}): VerdictInput => ({
  townshipName: '张渚镇', hasLists: true, candidates, requesterBodyId: 'dept', requesterName: '宜兴市某局', ...over,
});

describe('verdicts', () => {
  it('a township without a list in force: NOT_IN_LIST, sure, needs admission', () => {
    const v = decideVerdict(input([candidate({ score: 9 })], { hasLists: false }));
    expect(v).toMatchObject({ verdict: 'NOT_IN_LIST', confidence: 'HIGH', needsDecision: true, matches: [] });
    expect(v.reasons[0]).toContain('没有已发布且生效的清单');
  });

  it('a strong match on a basic duty: IN_LIST_LEAD, sure, no decision', () => {
    const v = decideVerdict(input([candidate({ itemCode: 'JB-004', score: SURE_SCORE + 1 }), candidate({ itemCode: 'JB-005', score: ACCEPT_SCORE })]));
    expect(v).toMatchObject({ verdict: 'IN_LIST_LEAD', confidence: 'HIGH', needsDecision: false, requesterIsLead: null });
    expect(v.matches[0].itemCode).toBe('JB-004');
  });

  it('a middling match is left to a person, unless the item cites the claimed basis', () => {
    const middling = (ARTICLE?: string) => candidate({ score: (ACCEPT_SCORE + SURE_SCORE) / 2, citedArticles: ARTICLE ? [ARTICLE] : [] });
    expect(decideVerdict(input([middling()]))).toMatchObject({ verdict: 'IN_LIST_LEAD', confidence: 'LOW', needsDecision: true });
    const corroborated = decideVerdict(input([middling('《中华人民共和国人民调解法》第三十四条')]));
    expect(corroborated).toMatchObject({ verdict: 'IN_LIST_LEAD', confidence: 'HIGH', needsDecision: false });
    expect(corroborated.reasons.join()).toContain('第三十四条');
  });

  it('a close rival with another role makes the verdict LOW', () => {
    const v = decideVerdict(input([
      candidate({ itemCode: 'SH-004', townshipRole: 'RECLAIMED', section: 'RECLAIMED', score: SURE_SCORE + 1, accountableBodyId: 'dept' }),
      candidate({ itemCode: 'JB-010', score: SURE_SCORE }),
    ]));
    expect(v).toMatchObject({ verdict: 'RECLAIMED', confidence: 'LOW', needsDecision: true, requesterIsLead: true });
  });

  it('cooperation: names the lead; a requester other than the lead needs a decision', () => {
    const item = {
      itemCode: 'PH-003', townshipRole: 'COOPERATE' as const, section: 'COOPERATIVE' as const, score: SURE_SCORE + 2,
      accountableBodyId: 'housing', accountableBodyName: '宜兴市住房和城乡建设局', townshipDuty: '督促瓶装燃气用户落实安全措施',
    };
    const byLead = decideVerdict(input([candidate(item)], { requesterBodyId: 'housing' }));
    expect(byLead).toMatchObject({ verdict: 'IN_LIST_COOPERATE', confidence: 'HIGH', needsDecision: false, requesterIsLead: true });
    expect(byLead.reasons[0]).toContain('由宜兴市住房和城乡建设局牵头，乡镇只承担配合职责：督促瓶装燃气用户落实安全措施');
    const byOther = decideVerdict(input([candidate(item)]));
    expect(byOther).toMatchObject({ verdict: 'IN_LIST_COOPERATE', needsDecision: true, requesterIsLead: false });
    expect(byOther.reasons.join()).toContain('不是该事项的牵头部门宜兴市住房和城乡建设局');
  });

  it('reclaimed by a department: RECLAIMED, refused without a decision, the department named', () => {
    const v = decideVerdict(input([candidate({ itemCode: 'SH-002', townshipRole: 'RECLAIMED', score: SURE_SCORE + 3, accountableBodyName: '宜兴市公安局' })]));
    expect(v).toMatchObject({ verdict: 'RECLAIMED', confidence: 'HIGH', needsDecision: false, requesterIsLead: false });
    expect(v.reasons[0]).toContain('已由宜兴市公安局收回');
  });

  it('only weak matches, or an item found by the claimed basis alone: NOT_IN_LIST, LOW', () => {
    expect(decideVerdict(input([candidate({ score: WEAK_SCORE - 0.1 })]))).toMatchObject({ verdict: 'NOT_IN_LIST', confidence: 'HIGH', needsDecision: true });
    expect(decideVerdict(input([candidate({ score: WEAK_SCORE + 0.1 })]))).toMatchObject({ verdict: 'NOT_IN_LIST', confidence: 'LOW' });
    const pretext = decideVerdict(input([candidate({ score: 0, citedArticles: ['《中华人民共和国人民调解法》第三十四条'] })]));
    expect(pretext).toMatchObject({ verdict: 'NOT_IN_LIST', confidence: 'LOW' });
    expect(pretext.reasons.join()).toContain('任务内容与这些事项不符');
  });
});

describe('the task as a question', () => {
  it('is one line within the engine\'s limit, the title first, and is accepted by it', () => {
    const q = taskQuestion({ title: '每日矛盾纠纷排查化解', content: '各镇每天排查一件矛盾，\n当天解决一件矛盾。'.repeat(30) });
    expect(q.startsWith('每日矛盾纠纷排查化解。各镇')).toBe(true);
    expect([...q].length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
    expect(q).not.toMatch(/\n/);
    expect(analyzeQuestion(q, new Map()).terms.map((t) => t.term)).toContain('矛盾');
  });
});
