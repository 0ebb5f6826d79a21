import { versionStatusLabel } from '../../src/modules/lists/version-status-label.js';

describe('versionStatusLabel', () => {
  const v = (status: any, number: number, effectiveFrom: string | null, effectiveTo: string | null) => ({ status, number, effectiveFrom, effectiveTo });

  it('a version in force whose successor is scheduled is still 现行有效, with the successor and its date', () => {
    expect(versionStatusLabel(v('SUPERSEDED', 1, '2025-01-01', '2026-07-01'), '2026-06-30')).toBe('现行有效（v2 将于 2026-07-01 起施行）');
    expect(versionStatusLabel(v('SUPERSEDED', 1, '2025-01-01', '2026-07-01'), '2026-07-01')).toBe('已被替代（自 2026-07-01 起由 v2 施行）');
  });

  it('published: in force, or scheduled', () => {
    expect(versionStatusLabel(v('PUBLISHED', 2, '2026-07-01', null), '2026-07-01')).toBe('现行有效');
    expect(versionStatusLabel(v('PUBLISHED', 2, '2026-07-01', null), '2026-06-30')).toBe('已发布，将于 2026-07-01 起施行');
  });

  it('unpublished versions by their stage', () => {
    expect(versionStatusLabel(v('DRAFT', 3, null, null), '2026-07-01')).toBe('草稿');
    expect(versionStatusLabel(v('IN_REVIEW', 3, null, null), '2026-07-01')).toBe('审核中');
    expect(versionStatusLabel(v('APPROVED', 3, null, null), '2026-07-01')).toBe('已审核通过');
  });
});
