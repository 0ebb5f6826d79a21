import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions.js';

export const PERMISSION_KEY = 'quanze:permission';

/** Declares what a resolver method needs; the guard refuses methods that declare nothing. */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);
