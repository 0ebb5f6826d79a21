import type { Role } from './user.entity.js';
import { regionPrefix } from '../modules/regions/region-code.js';
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

/** Whether `regionCode` lies inside the actor's region scope (ADMIN: everywhere; anonymous: nowhere). */
export function coversRegion(actor: Actor, regionCode: string): boolean {
  if (actor.role === 'ADMIN' && actor.regionCode === null) return true;
  if (actor.regionCode === null) return false;
  return regionCode.startsWith(regionPrefix(actor.regionCode));
}
