import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../common/admin-schema-scope.js';
import { ROLES, type Role } from './user.entity.js';

export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, { name: 'Role' });

@ObjectType('AuthPayload', { registerIn: () => AdminSchemaScope })
export class AuthPayloadModel {
  @Field()
  token: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => String, { nullable: true })
  regionCode: string | null;
}

@ObjectType('User', { registerIn: () => AdminSchemaScope })
export class UserModel {
  @Field(() => ID)
  id: string;

  @Field()
  username: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => String, { nullable: true })
  regionCode: string | null;

  @Field({ description: '账号已停用' })
  disabled: boolean;

  @Field(() => ID, { nullable: true, description: 'DEPARTMENT users: the county department (body) they work for' })
  bodyId: string | null;
}

@InputType('UserInput', { registerIn: () => AdminSchemaScope })
export class UserInput {
  @Field()
  username: string;

  @Field()
  password: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'DEPARTMENT users only: the county department (body) they work for' })
  bodyId?: string | null;
}
