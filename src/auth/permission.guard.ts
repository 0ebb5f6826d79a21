import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../common/graphql-context.js';
import { forbidden, unauthenticated } from '../common/domain-error.js';
import { can, missingRole } from './actor.js';
import { AuthService } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import { PERMISSION_KEY } from './require-permission.decorator.js';
import { Permission, PUBLIC_PERMISSIONS } from './permissions.js';

/**
 * Deny by default, for every GraphQL operation on both endpoints:
 * - an operation that declares no permission is refused;
 * - the public endpoint serves only public permissions, anonymously;
 * - the admin endpoint needs a valid token for everything but `login`, and the role must hold the permission.
 * Region scope is not decided here: services check it on each object.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true; // REST controllers guard themselves
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const ctx = GqlExecutionContext.create(context).getContext<GraphQLRequestContext>();
    if (!permission) throw forbidden('该操作未声明所需权限，已拒绝');
    if (ctx.endpoint === 'public') {
      if (!PUBLIC_PERMISSIONS.has(permission)) throw forbidden(`公开接口不提供此操作：需要登录并使用 /admin/graphql（缺少权限 ${permission}）`);
      return true;
    }
    if (permission === Permission.LOGIN) return true;
    if (ctx.actor.role === null) {
      const token = bearerToken(ctx.req.headers.authorization);
      if (!token) throw unauthenticated();
      ctx.actor = await this.auth.actorFromToken(token);
    }
    if (!can(ctx.actor, permission)) throw missingRole(ctx.actor, permission);
    return true;
  }
}
