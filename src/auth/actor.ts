import type { Role } from './user.entity.js';
import { Permission, ROLE_PERMISSIONS } from './permissions.js';

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

/** The significant prefix of a 12-digit code: 32 / 3202 / 320282 / 320282100 / 320282100208. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** Whether `regionCode` lies inside the actor's region scope (ADMIN: everywhere; anonymous: nowhere). */
export function coversRegion(actor: Actor, regionCode: string): boolean {
  if (actor.role === 'ADMIN' && actor.regionCode === null) return true;
  if (actor.regionCode === null) return false;
  return regionCode.startsWith(regionPrefix(actor.regionCode));
}
