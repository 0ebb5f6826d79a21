import type { ListVersionModel } from './list.model.js';

// The lifecycle's own words (list-version.access.ts) for versions not yet published.
const STATUS_WORDS = { DRAFT: '草稿', IN_REVIEW: '审核中', APPROVED: '已审核通过' } as const;

/**
 * What a reader is told of a version's status on a date (default today): the `VersionStatus`
 * values say where a version is in its lifecycle, this says whether it is in force. A version
 * whose successor is published but not yet in force is SUPERSEDED and still the one in force, so
 * it reads "现行有效（v2 将于 2026-07-01 起施行）", never "已被替代" before that date.
 *
 * The successor of a published version n is version n + 1: a list has at most one unpublished
 * version at a time, it takes the next number, and a discarded draft (discardDraft deletes it)
 * leaves its number to the next draft.
 */
export function versionStatusLabel(v: Pick<ListVersionModel, 'status' | 'number' | 'effectiveFrom' | 'effectiveTo'>, today: string): string {
  switch (v.status) {
    case 'DRAFT':
    case 'IN_REVIEW':
    case 'APPROVED':
      return STATUS_WORDS[v.status];
    case 'PUBLISHED':
    case 'SUPERSEDED': {
      if (v.effectiveFrom && v.effectiveFrom > today) return `已发布，将于 ${v.effectiveFrom} 起施行`;
      if (!v.effectiveTo) return '现行有效';
      if (v.effectiveTo > today) return `现行有效（v${v.number + 1} 将于 ${v.effectiveTo} 起施行）`;
      return `已被替代（自 ${v.effectiveTo} 起由 v${v.number + 1} 施行）`;
    }
  }
}
