import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../api/graphql-context.js';
import { Permission } from './permissions.js';
import { RequirePermission } from './require-permission.decorator.js';
import { AuthPayloadModel, UserInput, UserModel } from './auth.model.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

const toUserModel = (u: { id: string; username: string; role: UserModel['role']; regionCode: string | null; bodyId: string | null }): UserModel => ({
  id: u.id,
  username: u.username,
  role: u.role,
  regionCode: u.regionCode,
  bodyId: u.bodyId,
});

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Mutation(() => AuthPayloadModel, { description: '登录，返回令牌（Bearer token）' })
  @RequirePermission(Permission.LOGIN)
  async login(@Args('username') username: string, @Args('password') password: string, @Context() ctx: GraphQLRequestContext): Promise<AuthPayloadModel> {
    const { token, user } = await this.throttle.attempt(username, ctx.req.ip ?? 'unknown', () => this.auth.login(username, password));
    return { token, role: user.role, regionCode: user.regionCode };
  }

  @Mutation(() => UserModel)
  @RequirePermission(Permission.MANAGE_USERS)
  async createUser(@Args('input') input: UserInput, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.auth.createUser(ctx.actor, input));
  }

  @Mutation(() => UserModel, { description: '把部门用户关联到所属部门（主体），其提交的准入申请以该部门名义发出' })
  @RequirePermission(Permission.MANAGE_USERS)
  async assignUserBody(@Args('userId', { type: () => ID }) userId: string, @Args('bodyId', { type: () => ID }) bodyId: string, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.auth.assignUserBody(ctx.actor, userId, bodyId));
  }
}
