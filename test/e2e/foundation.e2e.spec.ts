import { schemaDrift } from '../../src/database/schema-drift.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

describe('foundation over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('entities and migrations agree (no schema drift)', async () => {
    expect(await schemaDrift(app.dataSource)).toEqual([]);
  });

  it('lists the real townships of the demo county on /graphql', async () => {
    const r = await app.publicGql('{ regions(parentCode:"320282") { code name level parent { code name } } }');
    const towns = r.data.regions;
    expect(towns.length).toBeGreaterThanOrEqual(5);
    expect(towns).toContainEqual({ code: '320282100000', name: '张渚镇', level: 'TOWNSHIP', parent: { code: '320282000000', name: '宜兴市' } });
  });
});
