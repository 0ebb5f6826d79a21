import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../common/graphql-context.js';
import { Permission } from './permissions.js';
import { RequirePermission } from './require-permission.decorator.js';
import { AuthPayloadModel, RoleEnum, UserInput, UserModel } from './auth.model.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import type { Role, UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

const toUserModel = (u: UserEntity): UserModel => ({
  id: u.id,
  username: u.username,
  role: u.role,
  regionCode: u.regionCode,
  disabled: !!u.disabledAt,
  bodyId: u.bodyId,
});

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
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
    return toUserModel(await this.users.createUser(ctx.actor, input));
  }

  @Mutation(() => UserModel, { description: '修改用户的角色与所辖区划（规则同 createUser）；角色或区划变化时，该用户已有的令牌失效' })
  @RequirePermission(Permission.MANAGE_USERS)
  async updateUser(
    @Args('id', { type: () => ID }) id: string,
    @Args('role', { type: () => RoleEnum }) role: Role,
    @Args('regionCode', { type: () => String, nullable: true }) regionCode: string | null,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<UserModel> {
    return toUserModel(await this.users.updateUser(ctx.actor, id, role, regionCode));
  }

  @Mutation(() => UserModel, { description: '停用账号：不能再登录，已有的令牌立即失效' })
  @RequirePermission(Permission.MANAGE_USERS)
  async disableUser(@Args('id', { type: () => ID }) id: string, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.users.disableUser(ctx.actor, id));
  }

  @Mutation(() => UserModel, { description: '恢复停用的账号（停用前的令牌仍然无效，须重新登录）' })
  @RequirePermission(Permission.MANAGE_USERS)
  async enableUser(@Args('id', { type: () => ID }) id: string, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.users.enableUser(ctx.actor, id));
  }

  @Mutation(() => UserModel, { description: '重置用户的密码；该用户已有的令牌立即失效' })
  @RequirePermission(Permission.MANAGE_USERS)
  async resetPassword(@Args('id', { type: () => ID }) id: string, @Args('newPassword') newPassword: string, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.users.resetPassword(ctx.actor, id, newPassword));
  }

  @Mutation(() => AuthPayloadModel, { description: '修改自己的密码（须提供当前密码）；原有令牌失效，返回新令牌' })
  @RequirePermission(Permission.CHANGE_OWN_PASSWORD)
  async changePassword(
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
    @Context() ctx: GraphQLRequestContext,
  ): Promise<AuthPayloadModel> {
    // A wrong current password counts as a failed login of the user from that address.
    const user = await this.throttle.attempt(ctx.actor.username ?? '', ctx.req.ip ?? 'unknown', () => this.users.changePassword(ctx.actor, currentPassword, newPassword));
    return { token: this.auth.issueToken(user), role: user.role, regionCode: user.regionCode };
  }

  @Mutation(() => UserModel, { description: '把部门用户关联到所属部门（主体），其提交的准入申请以该部门名义发出' })
  @RequirePermission(Permission.MANAGE_USERS)
  async assignUserBody(@Args('userId', { type: () => ID }) userId: string, @Args('bodyId', { type: () => ID }) bodyId: string, @Context() ctx: GraphQLRequestContext): Promise<UserModel> {
    return toUserModel(await this.users.assignUserBody(ctx.actor, userId, bodyId));
  }
}
