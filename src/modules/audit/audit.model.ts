import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { RoleEnum } from '../../auth/auth.model.js';
import type { Role } from '../../auth/user.entity.js';

@ObjectType('AuditEvent', { registerIn: () => AdminSchemaScope, description: 'An append-only, hash-chained record of one change' })
export class AuditEventModel {
  @Field(() => Int)
  seq: number;
  @Field(() => GraphQLISODateTime)
  at: Date;
  @Field()
  actor: string;
  @Field(() => RoleEnum, { nullable: true })
  role: Role | null;
  @Field()
  action: string;
  @Field()
  entityType: string;
  @Field()
  entityId: string;
  @Field(() => String, { nullable: true, description: 'the changed fields before, as JSON' })
  before: string | null;
  @Field(() => String, { nullable: true, description: 'the changed fields after, as JSON' })
  after: string | null;
  @Field(() => String, { nullable: true })
  prevHash: string | null;
  @Field()
  hash: string;
}
