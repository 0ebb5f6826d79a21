import { gateFindings, withExceptions, type GateItem } from '../../src/modules/lists/gate-findings.js';

const item = (o: Partial<GateItem> & { itemCode: string }): GateItem => ({
  name: `事项${o.itemCode}`,
  section: 'BASIC',
  legalBasis: '《中华人民共和国城乡规划法》第六十五条',
  citations: [{ raw: '《中华人民共和国城乡规划法》第六十五条', resolved: true }],
  ...o,
});

describe('gate findings', () => {
  it('finds nothing in items with resolved citations and distinct names', () => {
    expect(gateFindings([item({ itemCode: 'A' }), item({ itemCode: 'B' })])).toEqual([]);
  });

  it('finds an item without any legal basis', () => {
    const [f, ...rest] = gateFindings([item({ itemCode: 'A', legalBasis: null, citations: [] })]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ itemCode: 'A', kind: 'NO_LEGAL_BASIS' });
    expect(f.message).toContain('没有实施依据');
  });

  it('finds two items of one part with the same name (NFKC, spaces ignored), not across parts', () => {
    const findings = gateFindings([
      item({ itemCode: 'A', name: '秸秆禁烧' }),
      item({ itemCode: 'B', name: '秸秆 禁烧' }),
      item({ itemCode: 'C', name: '秸秆禁烧', section: 'COOPERATIVE' }),
    ]);
    expect(findings.map((f) => [f.itemCode, f.kind])).toEqual([['A', 'DUPLICATE_NAME'], ['B', 'DUPLICATE_NAME']]);
    expect(findings[0].message).toContain('基本履职事项中的 B 同名');
  });

  it('keeps the items of a power list apart by their 子项', () => {
    const findings = gateFindings([
      item({ itemCode: 'A', name: '行政检查', section: null, subItem: '消防' }),
      item({ itemCode: 'B', name: '行政检查', section: null, subItem: '燃气' }),
      item({ itemCode: 'C', name: '行政检查', section: null, subItem: '燃气' }),
    ]);
    expect(findings.map((f) => f.itemCode)).toEqual(['B', 'C']);
  });

  it('finds citations that do not resolve, naming them', () => {
    const [f] = gateFindings([item({ itemCode: 'A', citations: [{ raw: '《某某条例》第九条', resolved: false }, { raw: '《中华人民共和国城乡规划法》第六十五条', resolved: true }] })]);
    expect(f).toMatchObject({ kind: 'UNRESOLVED_CITATION' });
    expect(f.message).toContain('“《某某条例》第九条”');
    expect(f.message).not.toContain('城乡规划法');
  });

  it('asks no legal basis of a reclaimed item', () => {
    expect(gateFindings([item({ itemCode: 'A', section: 'RECLAIMED', legalBasis: null, citations: [] })])).toEqual([]);
  });

  it('blocks only on items the draft adds or changes; a duplicate blocks when one of its items is new', () => {
    const findings = gateFindings([
      item({ itemCode: 'OLD', legalBasis: null, citations: [], carriedOver: true }),
      item({ itemCode: 'NEW', legalBasis: null, citations: [] }),
      item({ itemCode: 'D1', name: '同名', carriedOver: true }),
      item({ itemCode: 'D2', name: '同名' }),
      item({ itemCode: 'E1', name: '旧同名', carriedOver: true }),
      item({ itemCode: 'E2', name: '旧同名', carriedOver: true }),
    ]);
    expect(findings.map((f) => [f.itemCode, f.kind, f.blocking])).toEqual([
      ['OLD', 'NO_LEGAL_BASIS', false], ['NEW', 'NO_LEGAL_BASIS', true],
      ['D1', 'DUPLICATE_NAME', true], ['D2', 'DUPLICATE_NAME', true],
      ['E1', 'DUPLICATE_NAME', false], ['E2', 'DUPLICATE_NAME', false],
    ]);
  });

  it('attaches the recorded reason to every finding of its item', () => {
    const findings = gateFindings([item({ itemCode: 'A', legalBasis: '', citations: [] }), item({ itemCode: 'B', citations: [{ raw: 'x', resolved: false }] })]);
    const kept = withExceptions(findings, { A: { reason: '依据为县政府规范性文件，尚未入库', by: 'e', at: '2026-01-01' } });
    expect(kept.map((f) => [f.itemCode, f.exceptionReason])).toEqual([['A', '依据为县政府规范性文件，尚未入库'], ['B', null]]);
  });
});
