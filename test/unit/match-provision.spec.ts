import { matchProvision } from '../../src/modules/legal/legal.service.js';
import type { ProvisionEntity } from '../../src/modules/legal/provision.entity.js';

const provision = (paragraph: number | null, item: number | null) => ({ id: `${paragraph}-${item}`, paragraph, item }) as unknown as ProvisionEntity;

describe('matchProvision: which provision of an article a citation reads', () => {
  it('prefers the exact paragraph and item, then the paragraph, then the whole article', () => {
    const article = [provision(null, null), provision(1, null), provision(1, 2)];
    expect(matchProvision(article, { paragraph: 1, item: 2 })?.id).toBe('1-2');
    expect(matchProvision(article, { paragraph: 1, item: 3 })?.id).toBe('1-null');
    expect(matchProvision(article, { paragraph: 2, item: null })?.id).toBe('null-null');
    expect(matchProvision(article, { paragraph: null, item: null })?.id).toBe('null-null');
  });

  it('resolves a whole article cited when the catalogue holds only some of its paragraphs, by the first held', () => {
    expect(matchProvision([provision(3, null), provision(1, null)], { paragraph: null, item: null })?.id).toBe('1-null');
  });

  it('does not read another paragraph for a paragraph the catalogue lacks', () => {
    expect(matchProvision([provision(1, null)], { paragraph: 2, item: null })).toBeUndefined();
  });
});
