import type { Role } from './user.entity.js';

/**
 * What an operation needs. Every resolver method declares one with `@RequirePermission`;
 * an operation that declares none is refused on the admin endpoint (deny by default).
 */
export enum Permission {
  /** Public reads: regions, bodies, published lists, who is accountable. */
  READ_PUBLISHED = 'READ_PUBLISHED',
  /** Reading drafts and versions under review (within the user's region). */
  READ_DRAFTS = 'READ_DRAFTS',
  EDIT_LISTS = 'EDIT_LISTS',
  REVIEW_LISTS = 'REVIEW_LISTS',
  PUBLISH_LISTS = 'PUBLISH_LISTS',
  READ_AUDIT = 'READ_AUDIT',
  MANAGE_USERS = 'MANAGE_USERS',
  /** Changing one's own password (given the current one). */
  CHANGE_OWN_PASSWORD = 'CHANGE_OWN_PASSWORD',
  MANAGE_BODIES = 'MANAGE_BODIES',
  /** Keeping a county's bodies in order: aliases, bulk import, merging two bodies that are one (within the user's region). */
  MANAGE_COUNTY_BODIES = 'MANAGE_COUNTY_BODIES',
  MANAGE_CATALOGUE = 'MANAGE_CATALOGUE',
  /** Changing a county's settings (review period, backdating bound, three-party publication). */
  MANAGE_COUNTY_SETTINGS = 'MANAGE_COUNTY_SETTINGS',
  /** Submitting a task for townships (职责准入): a department for its own body, the county office on a department's behalf. */
  SUBMIT_TASK_REQUESTS = 'SUBMIT_TASK_REQUESTS',
  /** Reading task requests and their verdicts (a department its own, a county its county's, a township those sent to it). */
  READ_TASK_REQUESTS = 'READ_TASK_REQUESTS',
  /** Admitting or declining a task the lists do not settle; never one's own request. */
  DECIDE_TASK_REQUESTS = 'DECIDE_TASK_REQUESTS',
  /** Logging in: the one admin operation open without a token. */
  LOGIN = 'LOGIN',
}

export const PUBLIC_PERMISSIONS: ReadonlySet<Permission> = new Set([Permission.READ_PUBLISHED]);

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  ADMIN: new Set(Object.values(Permission)),
  EDITOR: new Set([
    Permission.READ_PUBLISHED, Permission.READ_DRAFTS, Permission.EDIT_LISTS, Permission.PUBLISH_LISTS, Permission.READ_AUDIT,
    Permission.MANAGE_COUNTY_BODIES, Permission.SUBMIT_TASK_REQUESTS, Permission.READ_TASK_REQUESTS, Permission.CHANGE_OWN_PASSWORD,
  ]),
  REVIEWER: new Set([
    Permission.READ_PUBLISHED, Permission.READ_DRAFTS, Permission.REVIEW_LISTS, Permission.READ_AUDIT, Permission.READ_TASK_REQUESTS,
    Permission.DECIDE_TASK_REQUESTS, Permission.CHANGE_OWN_PASSWORD,
  ]),
  TOWNSHIP: new Set([Permission.READ_PUBLISHED, Permission.READ_DRAFTS, Permission.READ_TASK_REQUESTS, Permission.CHANGE_OWN_PASSWORD]),
  DEPARTMENT: new Set([Permission.READ_PUBLISHED, Permission.SUBMIT_TASK_REQUESTS, Permission.READ_TASK_REQUESTS, Permission.CHANGE_OWN_PASSWORD]),
};

/** The roles that hold a permission, in the order of ROLE_PERMISSIONS (for messages: 需要 REVIEWER 或 ADMIN 角色). */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role].has(permission));
}
