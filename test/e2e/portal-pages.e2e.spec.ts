import { QuestionLogService } from '../../src/modules/accountability/question-log.service.js';
import { listApi, ok, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { rawGet } from '../setup/http.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/**
 * The portal's pages over HTTP on the demo county: every page renders, empty answers say why,
 * names resolve on the server, unknown things are HTML 404 pages, text is escaped, pages carry the
 * API's cache headers and rate limit, and no page costs more SQL than the GraphQL query it stands for.
 */
const DEMO_Q = '村口有人乱搭棚子归哪里管';
/** What the item input check lets through (it refuses tags and scripts): quotes, template braces, a lone < and &. */
const QUOTED = ` "引号" '单引号' {{constructor.constructor}} a < b & c`;
const HOSTILE = `<script>alert("x")</script>'"{{constructor.constructor('alert(1)')()}}`;

interface Page {
  status: number;
  headers: Headers;
  body: string;
  text: string;
}
const visibleText = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('portal pages', () => {
  let app: TestApp;
  let reviewer: string;
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Page> => {
    const r = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html', ...headers } });
    const body = await r.text();
    return { status: r.status, headers: r.headers, body, text: visibleText(body) };
  };
  const q = (s: string) => encodeURIComponent(s);
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    app = await startTestApp();
    reviewer = await app.createUser('pp-reviewer', 'REVIEWER', '320282');
    const versions = ok(await app.publicGql('query($r:String!){ listVersions(regionCode:$r, kind:RESPONSIBILITY){ id number } }', { r: TOWN_A }), 'listVersions');
    v2 = versions.find((v: any) => v.number === 2).id;
    v1 = versions.find((v: any) => v.number === 1).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('/ask answers the demo question: role in plain words, bodies, village duty, basis with article text, version, 批准文号, dates', async () => {
    const p = await get(`/ask?region=320282100&q=${q(DEMO_Q)}`);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toContain('text/html');
    expect(p.text).toContain('乡村规划区内违法建设查处');
    expect(p.text).toContain('本镇牵头负责');
    expect(p.text).toContain('张渚镇综合行政执法大队');
    expect(p.text).toContain('村级职责');
    expect(p.text).toMatch(/《中华人民共和国城乡规划法》第六十五条/);
    expect(p.text).toContain('宜政发〔2026〕31号');
    expect(p.text).toContain('2026-07-01 起施行');
    expect(p.text).toContain('现行有效');
    expect(p.body).toContain('href="/regions/320282100/items/320282-100-JB-002?asOf=');
  });

  it('/ask takes a name: 张渚镇 and 张渚 resolve to the township, 宜兴 to the county; an ambiguous or unknown name shows choices', async () => {
    for (const name of ['张渚镇', '张渚']) {
      const p = await get(`/ask?region=${q(name)}&q=${q(DEMO_Q)}`);
      expect([p.status, p.text.includes('张渚镇综合行政执法大队')]).toEqual([200, true]);
    }
    const county = await get(`/ask?region=${q('宜兴')}&q=${q('违建')}`);
    expect(county.status).toBe(200);
    expect(county.text.slice(0, 400)).toContain('宜兴市 · 按');
    expect(county.text).toContain('张渚镇');
    // 城区 is the name of many counties, 城关镇 of many townships
    const ambiguous = await get(`/ask?region=${q('城')}&q=${q(DEMO_Q)}`);
    expect(ambiguous.text).toContain('请选择地区');
    expect(ambiguous.text).toContain('城区 （县（市、区），代码');
    expect(ambiguous.body).toMatch(new RegExp(`href="/ask\\?region=\\d{6}&amp;q=${q(DEMO_Q)}"`));
    const unknown = await get(`/ask?region=${q('不存在的镇')}&q=${q(DEMO_Q)}`);
    expect(unknown.text).toContain('没有找到名为“不存在的镇”的乡镇（街道）或县（市、区）');
  });

  it('an empty answer says why: no list on that date, removed by a version (with its link), nothing matches (with the whole list)', async () => {
    const early = await get(`/ask?region=320282100&q=${q(DEMO_Q)}&asOf=2000-01-01`);
    expect(early.text).toContain('2000-01-01，张渚镇没有现行有效的清单');
    const removed = await get(`/ask?region=320282100&q=${q('校外培训机构')}`);
    expect(removed.text).toContain('“校外培训机构治理”已从清单中删除');
    expect(removed.body).toContain(`href="/versions/${v2}"`);
    const nothing = await get(`/ask?region=320282100&q=${q('火星探测')}`);
    expect(nothing.text).toContain('没有与“火星探测”相符的事项');
    expect(nothing.body).toContain('href="/regions/320282100"');
    expect(nothing.body).toContain('href="/ask/statement?region=320282100&amp;q=');
  });

  it('a township: its lists by part with counts, version, 批准文号, dates, downloads and history; a county: its townships', async () => {
    const town = await get('/regions/320282100');
    expect(town.status).toBe(200);
    for (const s of ['基本履职事项（', '配合履职事项（', '上级部门收回事项（', '宜政发〔2026〕31号', '2026-07-01 起施行', '历史版本', '与 v1 比较', '权力清单'])
      expect(town.text).toContain(s);
    expect(town.body).toContain(`href="/exports/versions/${v2}.xlsx"`);
    expect(town.body).toContain(`href="/exports/versions/${v2}.csv"`);
    expect(town.body).toContain(`href="/versions/${v1}/diff/${v2}"`);
    expect(town.text).toContain('已被替代（自 2026-07-01 起由 v2 施行）');
    const county = await get('/regions/320282');
    expect(county.status).toBe(200);
    expect(county.text).toContain('宜兴市各乡镇（街道）的权责清单');
    expect(county.body).toContain('href="/regions/320282100"');
    expect(county.text).toContain('尚无现行清单');
  });

  it('an item with every field and its history; as of a date before its change; a removed item points to its version', async () => {
    const item = await get('/regions/320282100/items/320282-100-JB-003');
    expect(item.status).toBe(200);
    for (const s of ['事项编码', '责任主体', '实施依据', '追责情形', '免责情形', '关键词', '冒黑烟', '历史', 'v1 列入清单', 'v2 修改', '查看修改内容']) expect(item.text).toContain(s);
    expect(item.body).toContain(`href="/versions/${v1}/diff/${v2}#item-320282-100-JB-003"`);
    const before = await get('/regions/320282100/items/320282-100-JB-003?asOf=2025-06-01');
    expect(before.text).not.toContain('冒黑烟');
    const removed = await get('/regions/320282100/items/320282-100-PH-004');
    expect(removed.text).toContain('该事项已从清单中删除');
    expect(removed.body).toContain(`href="/versions/${v2}"`);
  });

  it('a version and a readable diff', async () => {
    const v = await get(`/versions/${v2}`);
    expect(v.status).toBe(200);
    expect(v.text).toContain('宜政发〔2026〕31号');
    expect(v.text).toMatch(/内容哈希（SHA-256） [0-9a-f]{64}/);
    const d = await get(`/versions/${v1}/diff/${v2}`);
    expect(d.status).toBe(200);
    expect(d.text).toContain('新增 1 项，修改 1 项，删除 1 项');
    expect(d.text).toContain('消防安全检查');
    expect(d.text).toContain('校外培训机构治理');
    expect(d.text).toContain('事项描述');
  });

  it('the printable proof: item, role, basis with article text, version, 批准文号, dates, hash, audit head, URL and QR code', async () => {
    const p = await get('/regions/320282100/items/320282-100-JB-002/proof');
    expect(p.status).toBe(200);
    for (const s of ['权责清单事项证明', '张渚镇', '乡村规划区内违法建设查处', '本镇牵头负责', '宜政发〔2026〕31号', '2026-07-01 起施行', '审计链当前头部', '打印时间']) expect(p.text).toContain(s);
    const hashes = ok(await app.publicGql('query($id:ID!){ listVersion(id:$id){ contentHash } }', { id: v2 }), 'listVersion');
    expect(p.text).toContain(hashes.contentHash);
    const [head] = await app.dataSource.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    expect(p.text).toContain(`第 ${head.seq} 条 · ${head.hash}`);
    expect(p.text).toContain(`${app.url}/regions/320282100/items/320282-100-JB-002/proof`);
    expect(p.body).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    expect(p.headers.get('cache-control')).toBe('private, no-store');
    // not in force on that date: no proof
    expect((await get('/regions/320282100/items/320282-100-PH-004/proof')).status).toBe(404);
  });

  it('the "not in the list" statement: the versions checked and their hashes', async () => {
    const s = await get(`/ask/statement?region=320282100&q=${q('火星探测')}&asOf=2026-12-01`);
    expect(s.status).toBe(200);
    expect(s.text).toContain('截至 2026-12-01，张渚镇现行有效的已发布清单中，没有与“火星探测”相符的事项');
    expect(s.text).toContain('责任清单（履行职责事项清单） v2');
    expect(s.text).toContain('权力清单 v1');
    expect((s.text.match(/内容哈希 [0-9a-f]{64}/g) ?? []).length).toBe(2);
    const answered = await get(`/ask/statement?region=320282100&q=${q(DEMO_Q)}`);
    expect(answered.text).toContain('不能出具“清单中无此事项”的说明');
  });

  it('unknown regions, items, versions and diffs are HTML 404 pages in Chinese with a way back', async () => {
    for (const path of ['/regions/999999999', '/regions/abc', '/regions/320282100/items/NO-SUCH-ITEM', '/versions/00000000-0000-0000-0000-000000000000', '/versions/nope', `/versions/${v1}/diff/00000000-0000-0000-0000-000000000000`, '/regions/320282100/items/NO-SUCH/proof']) {
      const p = await get(path);
      expect([path, p.status, p.headers.get('content-type')?.startsWith('text/html')]).toEqual([path, 404, true]);
      expect(p.text).toContain('页面不存在');
      expect(p.body).toContain('返回首页');
    }
    const bad = await get(`/ask?region=320282100&q=x&asOf=2026-02-30`);
    expect(bad.status).toBe(400);
  });

  it('escapes a hostile question and a hostile item name everywhere', async () => {
    const asked = await get(`/ask?region=320282100&q=${q(HOSTILE)}`);
    expect(asked.status).toBe(200);
    expect(asked.body).not.toContain('<script>alert');
    expect(asked.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>');
    const named = await get(`/ask?region=${q(HOSTILE)}&q=x`);
    expect(named.body).not.toContain('<script>alert');
    // an item whose name and description hold quotes, template braces, < and & (the input check refuses tags)
    const api = listApi(app);
    const hostileItem = {
      itemCode: '320282-103-XSS-1',
      name: `违建${QUOTED}`,
      section: 'BASIC',
      description: `查处违法建设 ${QUOTED}`,
      accountableBodyName: '徐舍镇人民政府',
      legalBasis: '《中华人民共和国城乡规划法》第六十五条',
      keywords: ['违建'],
    };
    await api.publishWith({ editor: app.adminToken, reviewer }, TOWN_B, 'RESPONSIBILITY', [hostileItem], '2026-08-01', `宜政发〔2026〕"99"号`);
    for (const path of [`/ask?region=320282103&q=${q('违建')}`, '/regions/320282103', '/regions/320282103/items/320282-103-XSS-1', '/regions/320282103/items/320282-103-XSS-1/proof']) {
      const p = await get(path);
      expect([path, p.status]).toEqual([path, 200]);
      expect(p.body).not.toContain('<script>alert');
      expect(p.text).toContain(`违建${QUOTED}`);
      expect(p.body).toContain('违建 &quot;引号&quot; \'单引号\' {{constructor.constructor}} a &lt; b &amp; c');
    }
  });

  it('pages carry the CSP and the public cache headers; a repeated request with the ETag is a 304', async () => {
    const p = await get(`/regions/320282100`);
    expect(p.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(p.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = p.headers.get('etag');
    expect(etag).toBeTruthy();
    const same = await get(`/regions/320282100`);
    expect(same.headers.get('etag')).toBe(etag);
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request
    const again = await rawGet(`${app.url}/regions/320282100`, { accept: 'text/html', 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  describe('SQL statements: no page costs more than its GraphQL query', () => {
    async function statements(work: () => Promise<unknown>): Promise<number> {
      // The public question log is written off the answer's path: what an earlier question queued is written now, not during the count.
      await app.registry.app.get(QuestionLogService).drain();
      const logger = app.dataSource.logger;
      const original = logger.logQuery;
      let n = 0;
      logger.logQuery = (...args: Parameters<typeof original>) => {
        n++;
        if (process.env.DEBUG_SQL) console.log(String(args[0]).slice(0, 160));
        return original.apply(logger, args);
      };
      try {
        await work();
        return n;
      } finally {
        logger.logQuery = original;
      }
    }
    /** A page and its query, each asked once with caches as they are after a first visit of the other. */
    async function compare(path: string, query: string, variables: Record<string, unknown>) {
      const r = await app.publicGql(query, variables);
      expect(r.errors).toBeUndefined();
      // New variables each time, so the whole-response cache of /graphql does not answer.
      if (process.env.DEBUG_SQL) console.log('PAGE', path);
      const pageCost = await statements(() => get(path));
      if (process.env.DEBUG_SQL) console.log('GQL');
      const gqlCost = await statements(() => app.publicGql(query.replace('query(', 'query Again('), variables));
      return { pageCost, gqlCost };
    }

    it('/ask and whoIsAccountable', async () => {
      const query = `query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ emptyReason removedIn { id number approvalDocNumber effectiveFrom }
        answers { townshipRole villageDuty township { name } accountableBody { name } cooperating { duty body { name } } citations { label text }
          item { itemCode name description townshipDuty leadDuty } version { id number kind approvalDocNumber effectiveFrom effectiveTo statusLabel } } } }`;
      const { pageCost, gqlCost } = await compare(`/ask?region=320282100&q=${q('收完麦子烧地冒黑烟')}`, query, { q: '收完麦子烧地冒黑烟', r: '320282100' });
      expect(pageCost).toBeLessThanOrEqual(gqlCost);
    });

    it('an item with its history and itemHistory', async () => {
      const query = `query($r:String!,$c:String!){ itemHistory(regionCode:$r, itemCode:$c){ kind versions { id number status statusLabel approvalDocNumber effectiveFrom effectiveTo }
        states { fromVersion toVersion item { itemCode name description section townshipRole villageDuty townshipDuty stagedDuties accountabilityCircumstances exemptions keywords
          accountableBody { name } cooperating { duty body { name } } citations { label text } } } } }`;
      const { pageCost, gqlCost } = await compare('/regions/320282100/items/320282-100-JB-005', query, { r: '320282100', c: '320282-100-JB-005' });
      expect(pageCost).toBeLessThanOrEqual(gqlCost);
    });

    it('a version and listVersion with its items', async () => {
      const query = `query($id:ID!){ listVersion(id:$id){ number statusLabel approvalDocNumber effectiveFrom effectiveTo changeReason reviewOpinion contentHash region { name }
        basedOn { id number } items(first:100){ totalCount edges { node { itemCode name section accountableBody { name } } } } } }`;
      const { pageCost, gqlCost } = await compare(`/versions/${v1}`, query, { id: v1 });
      expect(pageCost).toBeLessThanOrEqual(gqlCost);
    });

    it('a diff and versionDiff', async () => {
      const query = `query($a:ID!,$b:ID!){ versionDiff(fromVersionId:$a, toVersionId:$b){ from { number statusLabel approvalDocNumber effectiveFrom effectiveTo region { name } }
        to { number statusLabel approvalDocNumber effectiveFrom effectiveTo changeReason } changes { itemCode name change fields { field before after } } } }`;
      const { pageCost, gqlCost } = await compare(`/versions/${v1}/diff/${v2}`, query, { a: v1, b: v2 });
      expect(pageCost).toBeLessThanOrEqual(gqlCost);
    });

    it('a township and its lists in force with their items and history', async () => {
      const query = `query($r:String!){ region(code:$r){ name parent { name } }
        rv: listVersions(regionCode:$r, kind:RESPONSIBILITY){ id number statusLabel approvalDocNumber effectiveFrom effectiveTo }
        pv: listVersions(regionCode:$r, kind:POWER){ id number statusLabel approvalDocNumber effectiveFrom effectiveTo }
        r: listVersionInForce(regionCode:$r, kind:RESPONSIBILITY){ items(first:100){ totalCount edges { node { itemCode name section accountableBody { name } } } } }
        p: listVersionInForce(regionCode:$r, kind:POWER){ items(first:100){ totalCount edges { node { itemCode name section accountableBody { name } } } } } }`;
      const { pageCost, gqlCost } = await compare('/regions/320282103', query, { r: '320282103' });
      expect(pageCost).toBeLessThanOrEqual(gqlCost);
    });
  });
});

describe('portal pages have their own public rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_PAGES_PER_MINUTE: '2', RATE_LIMIT_PAGES_BURST: '0' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a client over the pages limit gets 429 with Retry-After, and its questions on /graphql still pass', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${app.url}/regions/320282100`, { headers: { accept: 'text/html' } });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await r.text()).toContain('请求过于频繁');
      }
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect((await app.publicGql('{ regions { code } }')).status).toBe(200);
  });
});
