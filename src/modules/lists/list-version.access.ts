import type { EntityManager } from 'typeorm';
import { coversRegion, scopeWords, type Actor } from '../../auth/actor.js';
import { conflict, DomainError, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { ListVersionEntity, type VersionStatus } from './list-version.entity.js';

const STATUS_LABEL: Record<VersionStatus, string> = {
  DRAFT: '草稿',
  IN_REVIEW: '审核中',
  APPROVED: '已审核通过',
  PUBLISHED: '已发布',
  SUPERSEDED: '已被替代',
};
export const statusLabel = (s: VersionStatus) => STATUS_LABEL[s];

/**
 * A version about to be changed, locked for the transaction, after checking the actor's region
 * scope on this very object. Outside the scope the answer is FORBIDDEN whether or not the id
 * exists, so a refusal reveals nothing.
 */
export async function lockVersionForWrite(em: EntityManager, actor: Actor, id: string): Promise<ListVersionEntity> {
  const version = isUuid(id)
    ? await em.getRepository(ListVersionEntity).createQueryBuilder('v').setLock('pessimistic_write').where('v.id = :id', { id }).getOne()
    : null;
  if (!version || !coversRegion(actor, version.regionCode)) {
    if (actor.role === 'ADMIN') throw notFound('未找到该清单版本');
    throw forbidden(`无权操作该清单版本：它不在${scopeWords(actor)} 内，或不存在`);
  }
  return version;
}

export function requireStatus(version: ListVersionEntity, expected: VersionStatus, action: string): void {
  if (version.status !== expected)
    throw conflict(`版本 v${version.number} 当前为“${statusLabel(version.status)}”，只有“${statusLabel(expected)}”的版本可以${action}`, { status: version.status });
}

export function requireRevision(version: ListVersionEntity, expectedRevision: number | null | undefined): void {
  if (expectedRevision !== null && expectedRevision !== undefined && expectedRevision !== version.revision)
    throw new DomainError('VERSION_CONFLICT', `草稿已被他人修改（当前修订号 ${version.revision}，您提交的是 ${expectedRevision}），请刷新后重试`, {
      field: 'expectedRevision',
      currentRevision: version.revision,
    });
}
