// The item fields' description (src/modules/lists/item-fields.ts) as a property over its fields:
// for every field an input can set, a change to that field alone makes the draft's item differ
// from the one in force and shows in versionDiff under the field's name; the changed list survives
// export → import unchanged as CSV and as xlsx; and where the field is searchable, a question made of
// words found only in that field finds the item. A field added to the description is covered here
// without a line of this file changing.
import { belongsTo, CONTENT_FIELDS, type ItemField } from '../../src/modules/lists/item-fields.js';
import type { ListSection } from '../../src/modules/lists/list-item.entity.js';
import { listApi, ok, type Kind } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const TOWN = { code: '320282002000', name: '屺亭街道' };
const GOV = `${TOWN.name}人民政府`;
const TEAM = `${TOWN.name}综合行政执法大队`;
const LEAD = '宜兴市农业农村局';

/**
 * Rare words jieba cuts whole and weighs about 3 (by its IDF), nowhere in the list but where a
 * test puts them. A question needs MIN_SCORE: a word of a name (weight A) reaches it alone, words
 * of duties (C) or citations (D) only together — hence several per field.
 */
const RARE = ['貔貅', '睚眦', '蒲牢', '白泽', '毕方', '烛龙', '应龙', '腾蛇', '精卫', '重明', '鸾鸟', '穷奇', '帝江', '陆吾', '英招', '当康', '乘黄', '獬豸', '青鸾', '九尾'];
const WORDS_PER_WEIGHT = { A: 1, B: 1, C: 2, D: 4 } as const;

const settable = CONTENT_FIELDS.filter((f) => f.inputKey);
/** Each field is tried in the first kind of list it belongs to (fields of both kinds: a responsibility list). */
const kindOf = (f: ItemField): Kind => (f.kinds?.[0] ?? 'RESPONSIBILITY') as Kind;
const sectionOf = (f: ItemField): ListSection | null => (kindOf(f) === 'POWER' ? null : ((f.sections?.[0] as ListSection | undefined) ?? 'COOPERATIVE'));

/** An item with every field of its kind and section filled, none with a rare word. */
function baseItem(code: string, kind: Kind, section: ListSection | null): Record<string, unknown> {
  const common = {
    itemCode: code,
    name: `乡村事项${code}`,
    description: '对辖区内有关情况开展巡查并依法处置',
    legalBasis: '《中华人民共和国城乡规划法》第六十五条',
    stagedDuties: ['1.巡查责任：组织日常巡查', '2.处置责任：依法处置'],
    accountabilityCircumstances: ['不履行或不正确履行职责的'],
    exemptions: ['已依法履行职责的'],
    keywords: ['巡查'],
  };
  if (kind === 'POWER') return { ...common, category: 'LICENSING', source: 'STATUTORY', accountableBodyName: GOV, subItem: '一般事项', handlingUnit: '经济发展局' };
  const own = section === 'BASIC';
  const filled = Object.fromEntries(
    settable.filter((f) => belongsTo(f, kind, section) && f.codec.graphqlType === 'String' && !(f.inputKey! in common)).map((f) => [f.inputKey!, `${f.label}：按规定办理`]),
  );
  return {
    ...common,
    ...filled,
    section,
    accountableBodyName: own ? GOV : LEAD,
    cooperating: [{ bodyName: own ? LEAD : '宜兴市应急管理局', duty: '负责业务指导' }],
    ...(section === 'RECLAIMED' ? { takeoverBodyName: '宜兴市民政局', workMode: 'STATIONED' } : {}),
  };
}

/** The input value of `f` changed, carrying `words` where the field holds text. */
function changed(f: ItemField, item: Record<string, unknown>, words: string[]): unknown {
  const text = words.join('、') || '另行规定';
  const value = item[f.inputKey!];
  switch (f.codec.graphqlType) {
    case 'String':
    case 'String!':
      return `${value ?? ''}（${text}）`;
    case '[String!]!':
      return [...((value as string[]) ?? []), `${text}相关事宜`];
    case '[CooperatingDuty!]!':
      return (value as { bodyName: string; duty: string }[]).map((c) => ({ ...c, duty: `${c.duty}，${text}` }));
    case '[Citation!]!':
      // The words apart (·), so that the segmenter cuts each of them out of the title.
      return `${value ?? ''}；《${words.join('·') || '另行'}条例》第三条`;
    case 'Body!':
      return value === GOV ? TEAM : value === LEAD ? '宜兴市民政局' : LEAD;
    case 'Body':
      return value === '宜兴市民政局' ? LEAD : '宜兴市民政局';
    default: {
      // A choice: another value the item stays valid with (another county department's part, category, source).
      const other: Record<string, string> = { COOPERATIVE: 'RECLAIMED', RECLAIMED: 'COOPERATIVE', LICENSING: 'PENALTY', STATUTORY: 'DELEGATED', STATIONED: 'WINDOW' };
      if (!other[value as string]) throw new Error(`no other value for ${f.key}=${String(value)}: teach this test the field's kind of value`);
      return other[value as string];
    }
  }
}

describe('every item field: differs, diffs, round-trips, is found', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let day = 0;
  const nextDate = () => new Date(Date.UTC(2021, 0, 1 + day++)).toISOString().slice(0, 10);
  const publish = async (versionId: string) => {
    await api.recordReasons(app.adminToken, versionId); // an invented law does not resolve: the gates are not what this test is about
    ok(await api.submit(app.adminToken, versionId), 'submitForReview');
    const from = nextDate(); // in the past: the reviewer confirms it
    ok(await api.approve(reviewer, versionId, '同意', from), 'approveVersion');
    return ok(await api.publish(app.adminToken, versionId, from, '宜政发〔2026〕1号'), 'publishVersion');
  };
  let reviewer: string;
  const latest: Partial<Record<Kind, { id: string }>> = {};
  const plan = settable.map((f, i) => ({ f, code: `320282-002-F-${String(i + 1).padStart(2, '0')}`, kind: kindOf(f), section: sectionOf(f) }));
  let rare = 0;

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    reviewer = await app.createUser('fields-reviewer', 'REVIEWER', '320282');
    ok(await api.createBody(GOV, TOWN.code, '人民政府'), 'createBody');
    ok(await api.createBody(TEAM, TOWN.code, '执法机构'), 'createBody');
    // One version per kind with every field's base item (each field gets an item of its own).
    for (const kind of ['RESPONSIBILITY', 'POWER'] as Kind[]) {
      const items = plan.filter((p) => p.kind === kind);
      if (!items.length) continue;
      const draft = ok(await api.createDraft(app.adminToken, TOWN.code, kind), 'createDraft');
      for (const p of items) ok(await api.saveItem(app.adminToken, draft.id, baseItem(p.code, p.kind, p.section)), 'saveItem');
      latest[kind] = await publish(draft.id);
    }
  });
  afterAll(() => app?.close());

  it.each(plan.map((p) => [p.f.key, p] as const))('%s', async (_key, { f, code, kind, section }) => {
    const words = f.weight ? RARE.slice(rare, (rare += WORDS_PER_WEIGHT[f.weight])) : [];
    expect(words.length).toBe(f.weight ? WORDS_PER_WEIGHT[f.weight] : 0); // enough rare words for every searchable field
    const base = baseItem(code, kind, section);
    const draft = ok(await api.createDraft(app.adminToken, TOWN.code, kind), 'createDraft');
    // The item as it is in force writes nothing; with only this field changed it differs, by this field.
    ok(await api.saveItem(app.adminToken, draft.id, base), 'saveItem');
    expect(ok(await api.diff(latest[kind]!.id, draft.id, app.adminToken), 'versionDiff').changes).toEqual([]);
    ok(await api.saveItem(app.adminToken, draft.id, { ...base, [f.inputKey!]: changed(f, base, words) }), 'saveItem');
    const changes = ok(await api.diff(latest[kind]!.id, draft.id, app.adminToken), 'versionDiff').changes;
    expect(changes.map((c: { itemCode: string; change: string }) => [c.itemCode, c.change])).toEqual([[code, 'CHANGED']]);
    expect(changes[0].fields.map((x: { field: string }) => x.field)).toContain(f.diff);
    let source = await publish(draft.id);

    // Export → import gives the same list, as CSV and as xlsx.
    for (const format of ['csv', 'xlsx']) {
      const file = Buffer.from(await (await fetch(`${app.url}/exports/versions/${source.id}.${format}`)).arrayBuffer());
      const r = ok(
        await app.adminGql(
          'mutation($r:String!,$k:ListKind!,$f:String!,$c:String!){ importList(regionCode:$r, kind:$k, fileName:$f, contentBase64:$c){ itemsImported unchanged errors { message } version { id } } }',
          { r: TOWN.code, k: kind, f: `fields.${format}`, c: file.toString('base64') },
        ),
        'importList',
      );
      expect({ format, errors: r.errors, unchanged: r.unchanged }).toEqual({ format, errors: [], unchanged: r.itemsImported });
      expect(ok(await api.diff(source.id, r.version.id, app.adminToken), 'versionDiff').changes).toEqual([]);
      source = await publish(r.version.id);
    }
    latest[kind] = source;

    if (f.weight) {
      const answers = ok(
        await app.publicGql('query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ answers { item { itemCode } } } }', { q: words.join(' '), r: TOWN.code }),
        'whoIsAccountable',
      ).answers;
      expect(answers.map((a: { item: { itemCode: string } }) => a.item.itemCode)).toEqual([code]);
    }
  });
});
