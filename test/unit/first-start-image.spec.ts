import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyImage, imageKey } from '../../src/database/first-start-image.js';

/** A project tree as the key reads it: compiled code, data folders, package.json and installed dependencies. */
function tree(): { root: string; data: string; write(file: string, text: string): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-image-key-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', JSON.stringify({ dependencies: { '@electric-sql/pglite': '0.5.14' } }));
  write('node_modules/@electric-sql/pglite/package.json', JSON.stringify({ version: '0.5.14' }));
  write('dist/src/main.js', 'main();');
  write('dist/src/seed/seed.service.js', 'seed();');
  write('dist/migrations/1-foundation.js', 'CREATE TABLE a;');
  write('data/demo/bodies.csv', '主体名称\n张渚镇人民政府\n');
  return { root, data: path.join(root, 'data'), write };
}

describe('the first-start image key', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const keyOf = (t: ReturnType<typeof tree>, variant: 'demo' | 'regions' = 'demo') => imageKey(variant, { root: t.root, dataDirs: [t.data] });

  it.each([
    ['a migration added', (t: ReturnType<typeof tree>) => t.write('dist/migrations/2-more.js', 'ALTER TABLE a;')],
    ['a migration changed', (t: ReturnType<typeof tree>) => t.write('dist/migrations/1-foundation.js', 'CREATE TABLE b;')],
    ['the seed code changed', (t: ReturnType<typeof tree>) => t.write('dist/src/seed/seed.service.js', 'seed(2);')],
    ['a demo file changed', (t: ReturnType<typeof tree>) => t.write('data/demo/bodies.csv', '主体名称\n徐舍镇人民政府\n')],
    ['PGlite upgraded', (t: ReturnType<typeof tree>) => t.write('node_modules/@electric-sql/pglite/package.json', JSON.stringify({ version: '0.5.15' }))],
  ])('changes when %s', (_what, change) => {
    const t = tree();
    roots.push(t.root);
    const before = keyOf(t);
    change(t);
    expect(keyOf(t)).not.toBe(before);
  });

  it('names each variant apart, and ignores the entry point (the build bundles it)', () => {
    const t = tree();
    roots.push(t.root);
    const before = keyOf(t);
    expect(keyOf(t, 'regions')).not.toBe(before);
    t.write('dist/src/main.js', 'bundled();');
    expect(keyOf(t)).toBe(before);
  });

  it('copies an image into a folder without a database', () => {
    const t = tree();
    roots.push(t.root);
    t.write('image/base/1/1259', 'table');
    t.write('image/PG_VERSION', '18');
    const target = path.join(t.root, 'pgdata');
    fs.mkdirSync(target);
    copyImage(path.join(t.root, 'image'), target);
    expect(fs.readFileSync(path.join(target, 'base/1/1259'), 'utf8')).toBe('table');
    expect(fs.readFileSync(path.join(target, 'PG_VERSION'), 'utf8')).toBe('18');
  });
});
