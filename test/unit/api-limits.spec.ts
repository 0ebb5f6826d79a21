import { buildSchema, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { operationCost } from '../../src/api/query-cost.js';
import { aliasLimitRule, depthLimitRule, INTROSPECTION_MAX_DEPTH } from '../../src/api/query-shape.rules.js';
import { memoryCounters } from '../../src/common/rate-limit.js';
import { countTokens } from '../../src/api/request-limits.middleware.js';
import { MAX_SHORT_VALUE, oversizedVariable } from '../../src/api/variable-shape.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { isDatabaseUnavailable, isUnstorableText } from '../../src/database/database-errors.js';
import { checkText, textProblem } from '../../src/common/text-input.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const schema = buildSchema(`
  type Query { region(code: String!): Region  regions: [Region!]!  version(id: ID!): Version  ask(q: String!, first: Int): Answers }
  type Region { code: String!  parent: Region  children: [Region!]! }
  type Version { items(first: Int): Connection }
  type Connection { totalCount: Int!  edges: [Edge!]! }
  type Edge { node: Item! }
  type Item { name: String!  citations: [Citation!]!  keywords: [String!]! }
  type Citation { label: String! }
  type Answers { answers: [Item!]! }
  enum Kind { POWER RESPONSIBILITY }
  input ItemInput { name: String!  kind: Kind  tags: [String!] }
  type Mutation { save(input: ItemInput!, kind: Kind, id: ID): Boolean }
`);

const errorsOf = (query: string, rules = [depthLimitRule(10), aliasLimitRule(15)]) =>
  validate(schema, parse(query), [...specifiedRules, ...rules]).map((e) => e.extensions?.code ?? e.message);

function cost(query: string, variables?: Record<string, unknown>) {
  return operationCost(schema, parse(query), undefined, variables, { firstDefaults: { 'Query.ask': 5 }, defaultFirst: 100, listEstimates: { 'Region.children': 20, 'Query.regions': 20, 'Item.citations': 3 } });
}

describe('query shape rules', () => {
  const chain = (n: number) => 'parent { '.repeat(n) + 'code' + ' }'.repeat(n);

  it('depth: counts fields on the longest path, through fragments and inline fragments', () => {
    expect(errorsOf(`{ region(code:"1") { ${chain(8)} } }`)).toEqual([]); // 10
    expect(errorsOf(`{ region(code:"1") { ${chain(9)} } }`)).toEqual(['QUERY_TOO_DEEP']); // 11
    expect(errorsOf(`{ region(code:"1") { ...A } } fragment A on Region { ... on Region { ${chain(9)} } }`)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('depth: fragment cycles and unknown fragments are graphql\'s own validation errors, not a crash', () => {
    expect(errorsOf('{ region(code:"1") { ...A } } fragment A on Region { parent { ...A } }')).toEqual([expect.stringMatching(/Cannot spread fragment "A" within itself/)]);
    expect(errorsOf('{ region(code:"1") { ...Nope } }')).toEqual([expect.stringMatching(/Unknown fragment "Nope"/)]);
  });

  it('depth: exponential fragment fan-out is measured in linear time', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Region { a: parent { ...F${i + 1} } b: parent { ...F${i + 1} } }`).join(' ');
    const started = Date.now();
    const errors = validate(schema, parse(`{ region(code:"1") { ...F0 } } ${fragments} fragment F40 on Region { code }`), [depthLimitRule(10)]);
    expect(errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('introspection is measured apart, against its own depth', () => {
    expect(errorsOf('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }')).toEqual([]);
    expect(errorsOf(`{ __type(name:"Region") { ${'ofType { '.repeat(INTROSPECTION_MAX_DEPTH)}name${' }'.repeat(INTROSPECTION_MAX_DEPTH)} } }`)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('aliases: counted across the operation, a fragment once per spread', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: code`).join(' ');
    expect(errorsOf(`{ region(code:"1") { ${aliases(15)} } }`)).toEqual([]);
    expect(errorsOf(`{ region(code:"1") { ${aliases(16)} } }`)).toEqual(['QUERY_TOO_MANY_ALIASES']);
    expect(errorsOf(`{ x: region(code:"1") { ...F } y: region(code:"2") { ...F } } fragment F on Region { ${aliases(7)} }`)).toEqual(['QUERY_TOO_MANY_ALIASES']);
  });
});

describe('complexity estimate', () => {
  it('every field costs 1; lists multiply by first, by their typical size or by 10; a page multiplies its whole selection', () => {
    expect(cost('{ region(code:"1") { code parent { code } } }').complexity).toBe(4);
    expect(cost('{ regions { code } }').complexity).toBe(1 + 20 * 1);
    // items(first: 50) multiplies its selection; the edges inside the page count once
    expect(cost('{ version(id:"1") { items(first: 50) { totalCount edges { node { name citations { label } } } } } }').complexity).toBe(1 + (1 + 50 * (1 + (1 + (1 + (1 + (1 + 3 * 1)))))));
    expect(cost('{ ask(q:"x") { answers { name } } }').complexity).toBe(1 + 5 * (1 + 1)); // the service's default first
    expect(cost('query($n:Int){ ask(q:"x", first:$n) { answers { name keywords } } }', { n: 20 }).complexity).toBe(1 + 20 * (1 + 1 + 1));
  });

  it('collects every first, literal or variable, with the field that took it', () => {
    expect(cost('query($n:Int){ a: version(id:"1") { items(first: 2000) { totalCount } } ask(q:"x", first:$n) { answers { name } } }', { n: 7 }).pages).toEqual([
      { field: 'Version.items', first: 2000 },
      { field: 'Query.ask', first: 7 },
    ]);
  });

  it('nested lists explode and say so; a document too large to walk has no estimate', () => {
    expect(cost('{ regions { children { children { children { code } } } } }').complexity).toBe(1 + 20 * (1 + 20 * (1 + 20 * (1 + 20))));
    const fragments = Array.from({ length: 60 }, (_, i) => `fragment F${i} on Region { a: parent { ...F${i + 1} } b: parent { ...F${i + 1} } }`).join(' ');
    const started = Date.now();
    const big = cost(`{ region(code:"1") { ...F0 } } ${fragments} fragment F60 on Region { code }`);
    expect(big.complexity).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000); // bounded by MAX_QUERY_NODES, not 2^60
  });

  it('notices introspection at the root, through fragments', () => {
    expect(cost('{ __schema { types { name } } }').introspection).toBe(true);
    expect(cost('query { ...I } fragment I on Query { __type(name:"Region") { name } }').introspection).toBe(true);
    expect(cost('{ __typename region(code:"1") { __typename } }').introspection).toBe(false);
  });
});

describe('variables of short types', () => {
  const op = (q: string) => parse(q).definitions[0] as OperationDefinitionNode;
  const save = op('mutation($i: ItemInput!, $k: Kind, $id: ID) { save(input: $i, kind: $k, id: $id) }');
  it('refuses enum, ID and nested enum values longer than MAX_SHORT_VALUE, and long unknown field names; leaves strings to the services', () => {
    const long = 'x'.repeat(MAX_SHORT_VALUE + 1);
    expect(oversizedVariable(schema, save, { i: { name: long, tags: [long] } })).toBeNull();
    expect(oversizedVariable(schema, save, { i: { name: 'a' }, k: long })).toBe('$k');
    expect(oversizedVariable(schema, save, { i: { name: 'a', kind: long } })).toBe('$i.kind');
    expect(oversizedVariable(schema, save, { i: { name: 'a' }, id: long })).toBe('$id');
    expect(oversizedVariable(schema, save, { i: { name: 'a', [long]: 1 } })).toMatch(/^\$i\.x{20}…$/);
    expect(oversizedVariable(schema, save, { i: 'not an object', k: 'POWER' })).toBeNull();
  });
});

describe('query size in tokens', () => {
  it('counts tokens (comments excluded), stops early, and leaves unlexable text to the parser', () => {
    expect(countTokens('{ a b c } # comment with words', 100)).toBe(5);
    expect(countTokens(`{ ${'a '.repeat(5000)}}`, 1000)).toBe(1001);
    expect(countTokens('{ "unterminated }', 100)).toBeNull();
  });
});

describe('text input', () => {
  it.each([
    ['a plain name', '张渚镇人民政府', null],
    ['legal text with 《》 and full-width punctuation', '《中华人民共和国城乡规划法》第六十五条；第六十六条', null],
    ['"less than" in prose', '占地<5亩的临时建筑', null],
    ['a NUL', 'a\u0000b', '控制字符'],
    ['a C1 control', 'a\u0085b', '控制字符'],
    ['a lone high surrogate', 'a\ud800b', '无效字符'],
    ['a lone low surrogate', '\udc00b', '无效字符'],
    ['a bidi override', 'abc\u202Efed', '文字方向'],
    ['a tag', '<b>x</b>', 'HTML'],
    ['an unclosed script', '<script src=//x', 'HTML'],
    ['an event handler', 'x onerror=alert(1)', 'HTML'],
    ['javascript:', 'javascript:alert(1)', 'HTML'],
    ['a stacked statement', "x'; DROP TABLE body; --", '数据库'],
    ['a tautology', "' OR '1'='1", '数据库'],
    ['union select', '1 UNION SELECT password FROM app_user', '数据库'],
    ['pg_sleep', 'x || pg_sleep(10)', '数据库'],
  ])('%s', (_label, value, problem) => {
    const found = textProblem(value, { max: 100, kind: 'text' });
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it('lengths, required, line breaks by kind', () => {
    expect(textProblem('x'.repeat(101), { max: 100 })).toContain('不能超过100个字符');
    expect(textProblem('a\nb', { max: 100, kind: 'line' })).toContain('换行');
    expect(textProblem('a\nb', { max: 100, kind: 'text' })).toBeNull();
    expect(checkText('  ', { max: 5, required: true })).toEqual({ ok: false, problem: '不能为空' });
    expect(checkText('  a ', { max: 5 })).toEqual({ ok: true, value: 'a' });
    expect(checkText(null, { max: 5 })).toEqual({ ok: true, value: null });
    expect(checkText(5, { max: 5 })).toEqual({ ok: false, problem: '应为文本' });
  });
});

describe('database errors', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a terminated backend (TypeORM)', { message: 'terminating connection due to administrator command', driverError: { code: '57P01' } }],
    ['a database not accepting connections', { message: 'database "x" is not currently accepting connections', code: '55000' }],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a cut connection', new Error('Connection terminated unexpectedly')],
    ['graphql\'s NonErrorThrown', { message: 'Unexpected error value', thrownValue: { code: 'ECONNREFUSED' } }],
    ['IPv4 and IPv6 both refused', { message: '', errors: [{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }] }],
  ])('unavailable: %s', (_label, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ['a check violation', { code: '23514', message: 'violates check constraint' }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('not unavailable: %s', (_label, error) => expect(isDatabaseUnavailable(error)).toBe(false));

  it('text the database cannot store', () => {
    expect(isUnstorableText({ driverError: { code: '22021' } })).toBe(true);
    expect(isUnstorableText({ code: '23505' })).toBe(false);
  });
});

describe('rate-limit counters (in memory)', () => {
  it('count hits per key within the window, say when the limit is passed and how long to wait, and reset', async () => {
    const counter = memoryCounters(`unit-${Date.now()}`, 2, 60);
    expect(await counter.hit('a')).toMatchObject({ consumed: 1, allowed: true });
    expect(await counter.hit('a')).toMatchObject({ consumed: 2, allowed: true });
    const third = await counter.hit('a');
    expect(third).toMatchObject({ consumed: 3, allowed: false });
    expect(third.retryAfterSeconds).toBeGreaterThan(0);
    expect(third.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await counter.hit('b')).toMatchObject({ consumed: 1, allowed: true });
    expect(await counter.peek('a')).toMatchObject({ consumed: 3 });
    await counter.reset('a');
    expect(await counter.peek('a')).toMatchObject({ consumed: 0, allowed: true });
  });
  it('with a burst allowance: hits past the limit spend it, then are refused until a window renews', async () => {
    const counter = memoryCounters(`unit-burst-${Date.now()}`, 2, 60, { points: 3, windowSeconds: 600 });
    const allowed = [];
    for (let i = 0; i < 6; i++) allowed.push((await counter.hit('office-nat')).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false]);
    const refused = await counter.hit('office-nat');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60); // the per-minute window renews first
    expect((await counter.hit('another')).allowed).toBe(true);
    // no burst configured (0 points): the plain limit
    const plain = memoryCounters(`unit-noburst-${Date.now()}`, 1, 60, { points: 0, windowSeconds: 600 });
    expect([(await plain.hit('x')).allowed, (await plain.hit('x')).allowed]).toEqual([true, false]);
  });
});

describe('API limits configuration', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-limits-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const load = (env: Record<string, string> = {}) => loadConfig({ QUANZE_DATA_DIR: dataDir, ...env });

  it('defaults', () => {
    expect(load().api).toEqual({
      maxDepth: 10,
      maxAliases: 15,
      maxTokens: 1000,
      maxQueryChars: 10_000,
      maxComplexity: { public: 10_000, admin: 100_000 },
      pageMax: { public: 100, admin: 1000 },
      requestsPerMinute: { public: 600, admin: 1200 },
      publicRoutes: {
        pages: { perMinute: 600, burst: 300, setting: 'RATE_LIMIT_PAGES_PER_MINUTE' },
        questions: { perMinute: 600, burst: 300, setting: 'RATE_LIMIT_QUESTIONS_PER_MINUTE' },
        exports: { perMinute: 600, burst: 300, setting: 'RATE_LIMIT_EXPORTS_PER_MINUTE' },
      },
      burstWindowSeconds: 600,
      loginMaxFailures: 5,
      loginWindowSeconds: 60,
      publicCacheSeconds: 60,
    });
    expect(load().trustProxy).toBe(false);
  });

  it('rate limits per class of public route: each its own per-minute limit and burst, RATE_LIMIT_PUBLIC_PER_MINUTE their default', () => {
    const config = load({ RATE_LIMIT_PUBLIC_PER_MINUTE: '100', RATE_LIMIT_PAGES_PER_MINUTE: '2000', RATE_LIMIT_PAGES_BURST: '1000', RATE_LIMIT_EXPORTS_BURST: '0', RATE_LIMIT_BURST_WINDOW_SECONDS: '300' });
    expect(config.api.publicRoutes).toEqual({
      pages: { perMinute: 2000, burst: 1000, setting: 'RATE_LIMIT_PAGES_PER_MINUTE' },
      questions: { perMinute: 100, burst: 50, setting: 'RATE_LIMIT_QUESTIONS_PER_MINUTE' },
      exports: { perMinute: 100, burst: 0, setting: 'RATE_LIMIT_EXPORTS_PER_MINUTE' },
    });
    expect(config.api.burstWindowSeconds).toBe(300);
    expect(() => load({ RATE_LIMIT_QUESTIONS_BURST: 'lots' })).toThrow(/RATE_LIMIT_QUESTIONS_BURST/);
    expect(() => load({ RATE_LIMIT_EXPORTS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_EXPORTS_PER_MINUTE/);
  });

  it('reads every setting, and a wrong value names its variable', () => {
    const config = load({ QUERY_MAX_DEPTH: '7', PAGE_MAX_PUBLIC: '50', RATE_LIMIT_ADMIN_PER_MINUTE: '300', LOGIN_MAX_FAILURES: '3', PUBLIC_CACHE_MAX_AGE_SECONDS: '0' });
    expect(config.api).toMatchObject({ maxDepth: 7, pageMax: { public: 50 }, requestsPerMinute: { admin: 300 }, loginMaxFailures: 3, publicCacheSeconds: 0 });
    for (const [name, value] of [['QUERY_MAX_DEPTH', '1'], ['QUERY_MAX_ALIASES', 'many'], ['QUERY_MAX_COMPLEXITY_PUBLIC', '-5'], ['PAGE_MAX_ADMIN', '0'], ['LOGIN_FAILURE_WINDOW_SECONDS', '1.5'], ['TRUST_PROXY', 'x; rm -rf /']]) {
      let error: unknown;
      try {
        load({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(name);
    }
  });

  it('TRUST_PROXY: false, true, a number of hops, or addresses', () => {
    expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });
});
