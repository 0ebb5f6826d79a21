import type { Role } from './user.entity.js';
import { regionPrefix } from '../modules/regions/region-code.js';
import { forbidden, type DomainError } from '../common/domain-error.js';
import { Permission, ROLE_PERMISSIONS, rolesWith } from './permissions.js';

/** Who is asking: a logged-in user, or the anonymous public. Passed to services, which check scope per object. */
export interface Actor {
  userId: string | null;
  username: string | null;
  role: Role | null;
  /** 12-digit region code of the user's scope; null = everywhere (ADMIN) or anonymous. */
  regionCode: string | null;
  /** The body a DEPARTMENT user works for (its task requests are issued by it); absent otherwise. */
  bodyId?: string | null;
}

export const ANONYMOUS: Actor = Object.freeze({ userId: null, username: null, role: null, regionCode: null });

/** The registry itself acting (first start, demo data, operator CLI): recorded as such in the audit trail. */
export const systemActor = (name = 'system'): Actor => ({ userId: null, username: name, role: 'ADMIN', regionCode: null });

export function can(actor: Actor, permission: Permission): boolean {
  return actor.role !== null && ROLE_PERMISSIONS[actor.role].has(permission);
}

/** Whether `regionCode` lies inside the actor's region scope (ADMIN: everywhere; anonymous: nowhere). */
export function coversRegion(actor: Actor, regionCode: string): boolean {
  if (actor.role === 'ADMIN' && actor.regionCode === null) return true;
  if (actor.regionCode === null) return false;
  return regionCode.startsWith(regionPrefix(actor.regionCode));
}

/** The refusal of an actor whose role lacks the permission, naming the roles that hold it and the actor's own. */
export function missingRole(actor: Actor, permission: Permission): DomainError {
  const roles = rolesWith(permission).filter((r) => r !== 'ADMIN');
  const needed = roles.length ? `需要 ${[...roles, 'ADMIN'].join(' 或 ')} 角色` : '需要 ADMIN 角色';
  return forbidden(`无权执行此操作：${needed}（您的角色是 ${actor.role ?? '未登录'}，缺少权限 ${permission}）`);
}

/** Refuses an actor whose role lacks the permission (FORBIDDEN naming the role needed). */
export function requireRole(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw missingRole(actor, permission);
}

/** The actor's region scope as a message says it: 您的辖区 320282（宜兴市）. */
export function scopeWords(actor: Actor, regionName?: string | null): string {
  if (!actor.regionCode) return actor.role === 'ADMIN' ? '全部区划' : '无辖区';
  const code = regionPrefix(actor.regionCode);
  return `您的辖区 ${code}${regionName ? `（${regionName}）` : ''}`;
}

/** The refusal of an object outside the actor's region: “…”不在您的辖区 320282 内. */
export function outOfScope(actor: Actor, what: string): DomainError {
  return forbidden(`${what}不在${scopeWords(actor)} 内`);
}
