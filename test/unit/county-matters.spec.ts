import { addMonths, matterFlags } from '../../src/modules/county-views/county-views.service.js';
import { conceptOf, groupMatters, normaliseName, parseConceptLexicon, type MatterItem } from '../../src/modules/county-views/matters.js';
import { retryDelayMs, signDelivery, verifyDelivery } from '../../src/modules/webhooks/webhook-signature.js';
import { referenceGroupMatters } from './reference-matters.js';

const LEXICON = parseConceptLexicon(
  [
    '# comment',
    'domain\tconcept\tofficial\texpressions\tnote',
    '生态环境\t秸秆禁烧\t秸秆禁烧|秸秆焚烧|禁烧\t烧秸秆\t',
    '河湖管理\t河长制\t河长制|河长湖长|河湖长制\t巡河\t',
    '民政\t低保\t最低生活保障|低保\t吃低保\t',
  ].join('\n'),
);

let n = 0;
const item = (regionCode: string, name: string, provisionIds: string[] = [], subItem: string | null = null): MatterItem => ({
  key: `${regionCode}|X-${++n}`, regionCode, itemCode: `X-${n}`, name, subItem, provisionIds,
});
const names = (matters: ReturnType<typeof groupMatters>) => matters.map((m) => m.items.map((i) => `${i.regionCode}:${i.name}`).sort()).sort();

describe('matters across townships', () => {
  it('normalises names: width, punctuation, brackets and spaces do not matter; a power item\'s 子项 does', () => {
    expect(normaliseName('农村村民宅基地和建房（规划许可）审批')).toBe(normaliseName('农村村民宅基地和建房(规划许可) 审批'));
    expect(normaliseName('审批', '乡村建设规划许可证核发')).not.toBe(normaliseName('审批', '农村宅基地审批'));
  });

  it('finds the longest official term of the lexicon in a name, three characters at least', () => {
    expect(conceptOf('秸秆禁烧与综合利用', LEXICON)).toBe('秸秆禁烧');
    expect(conceptOf('镇级河长湖长履职', LEXICON)).toBe('河长制');
    expect(conceptOf('低保受理', LEXICON)).toBeNull(); // 低保: two characters only
    expect(conceptOf('最低生活保障审核', LEXICON)).toBe('低保');
  });

  it('groups by name (also within a township), by concept and by shared citations (between townships only)', () => {
    const items = [
      item('A', '秸秆禁烧与综合利用'), item('B', '秸秆禁烧网格化管控'), item('C', '秸秆禁烧网格化管控'),
      item('A', '防汛防旱'), item('A', '防汛防旱'),
      item('A', '违规土葬治理', ['p1', 'p2']), item('B', '殡葬改革', ['p1', 'p2']),
      item('A', '燃气安全', ['p3', 'p9']), item('A', '安全生产检查', ['p9']), item('B', '安全生产属地管理', ['p9']),
    ];
    expect(names(groupMatters(items, [], LEXICON))).toEqual([
      ['A:安全生产检查', 'B:安全生产属地管理'],
      ['A:燃气安全'], // shares p9 with B's item too, but B's is taken by the closer match, and A's two items are never joined by a guess
      ['A:秸秆禁烧与综合利用', 'B:秸秆禁烧网格化管控', 'C:秸秆禁烧网格化管控'],
      ['A:违规土葬治理', 'B:殡葬改革'],
      ['A:防汛防旱', 'A:防汛防旱'],
    ]);
  });

  it('an editor\'s link joins what nothing else would; an unlink keeps apart what everything else joins', () => {
    const a = item('A', '宅基地和建房审批');
    const b = item('B', '农村村民建房审批');
    const c = item('B', '秸秆禁烧网格化管控');
    const d = item('C', '秸秆禁烧网格化管控');
    const matters = groupMatters([a, b, c, d], [{ a: a.key, b: b.key, linked: true }, { a: c.key, b: d.key, linked: false }], LEXICON);
    expect(names(matters)).toEqual([['A:宅基地和建房审批', 'B:农村村民建房审批'], ['B:秸秆禁烧网格化管控'], ['C:秸秆禁烧网格化管控']]);
    expect(matters.find((m) => m.items.includes(a))!.evidence).toEqual(['MANUAL']);
  });

  it('groups exactly as the reference grouping does: the same matters, names, evidence and order (random counties)', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const pool = ['秸秆禁烧与综合利用', '秸秆禁烧网格化管控', '秸秆焚烧巡查', '镇级河长湖长履职', '河长制巡河', '最低生活保障审核', '最低生活保障审核',
      '防汛防旱', '防汛防旱', '违规土葬治理', '殡葬改革', '燃气安全', '安全生产检查', '安全生产属地管理', '宅基地审批', '农村村民建房审批'];
    for (const townshipCount of [3, 8, 40]) {
      for (let round = 0; round < 15; round++) {
        const townships = Array.from({ length: townshipCount }, (_, t) => `T${String(t).padStart(2, '0')}`);
        const items: MatterItem[] = [];
        for (const t of townships)
          for (let k = 0, count = 3 + random(12); k < count; k++) {
            const provisions = Array.from({ length: random(4) }, () => `p${random(townshipCount > 8 ? 60 : 12)}`);
            const name = random(5) ? pool[random(pool.length)] : `${pool[random(pool.length)]}（${random(3)}）`;
            items.push({ key: `${t}|I-${k}`, regionCode: t, itemCode: `I-${k}`, name, subItem: random(6) ? null : `子项${random(2)}`, provisionIds: provisions });
          }
        const links = Array.from({ length: random(8) }, () => {
          const [a, b] = [items[random(items.length)], items[random(items.length)]];
          return { a: a.key, b: random(10) ? b.key : 'T99|missing', linked: random(2) === 0 };
        });
        const shape = (ms: ReturnType<typeof groupMatters>) => ms.map((m) => ({ id: m.id, name: m.name, evidence: m.evidence, keys: m.items.map((i) => i.key) }));
        const expected = shape(referenceGroupMatters(items, links, LEXICON));
        expect(shape(groupMatters(items, links, LEXICON))).toEqual(expected);
        expect(expected.length).toBeLessThan(items.length); // something was joined
      }
    }
  });

  it('flags the inconsistencies of a matter between townships', () => {
    const townships = ['A', 'B', 'C', 'D'].map((code) => ({ code, name: `${code}镇` }));
    const body = (id: string) => ({ id, name: `${id}局`, kind: '政府部门', level: 'COUNTY' as const, regionCode: 'x' });
    const cell = (townshipCode: string, role: any, bodyId: string | null, instruments: string[] = []) => ({
      townshipCode, role, itemCode: role === 'ABSENT' ? null : 'I', itemName: null, accountableBody: bodyId ? body(bodyId) : null, basis: null,
      instruments, versionId: null, versionNumber: null, itemCount: role === 'ABSENT' ? 0 : 1,
    });
    const flags = matterFlags([cell('A', 'LEAD', 'a', ['水法']), cell('B', 'RECLAIMED', 'w', ['水法']), cell('C', 'RECLAIMED', 'n', ['民法典']), cell('D', 'ABSENT', null)], townships);
    expect(flags.map((f) => [f.kind, f.townshipCodes])).toEqual([
      ['LEAD_AND_RECLAIMED', ['A', 'B', 'C']],
      ['RECLAIMED_BY_DIFFERENT_BODIES', ['B', 'C']],
      ['DIFFERENT_LEGAL_BASES', ['A', 'C', 'B']],
      ['MISSING_IN_TOWNSHIP', ['D']],
    ]);
    expect(flags[3].message).toBe('4个乡镇中3个列入此事项，D镇未列入');
    // half is not most; two columns are too few to say
    expect(matterFlags([cell('A', 'LEAD', 'a'), cell('B', 'LEAD', 'a'), cell('C', 'ABSENT', null), cell('D', 'ABSENT', null)], townships)).toEqual([]);
    expect(matterFlags([cell('A', 'LEAD', 'a'), cell('B', 'ABSENT', null)], townships.slice(0, 2))).toEqual([]);
  });

  it('adds months to a date, the month\'s last day when the day does not exist', () => {
    expect(addMonths('2025-01-01', 18)).toBe('2026-07-01');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
  });
});

describe('webhook signatures and backoff', () => {
  it('signs timestamp and body with HMAC-SHA256; a change to either, or another secret, fails', () => {
    const sig = signDelivery('secret', 1_700_000_000, '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyDelivery('secret', '1700000000', '{"a":1}', sig)).toBe(true);
    expect(verifyDelivery('secret', '1700000001', '{"a":1}', sig)).toBe(false);
    expect(verifyDelivery('secret', '1700000000', '{"a":2}', sig)).toBe(false);
    expect(verifyDelivery('other', '1700000000', '{"a":1}', sig)).toBe(false);
    expect(verifyDelivery('secret', '1700000000', '{"a":1}', 'sha256=short')).toBe(false);
  });

  it('doubles the wait after each failed attempt, up to six hours', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(6 * 3600_000);
  });
});
