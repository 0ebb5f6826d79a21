import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';

@ObjectType('CountySettings', { description: '县（市、区）的清单管理规则（未设置时为默认值）', registerIn: () => AdminSchemaScope })
export class CountySettingsModel {
  @Field({ description: '县级区划代码（12位）' })
  countyCode: string;

  @Field(() => Int, { nullable: true, description: '清单复核周期（月）：现行清单超过该期限未更新即为逾期复核；空表示不设' })
  listReviewMonths: number | null;

  @Field(() => Int, { nullable: true, description: '施行日期最多可早于发布日期的天数；空表示不限（须经审核确认该日期）' })
  backdateLimitDays: number | null;

  @Field({ description: '发布须三人分离：提交人、审核人、发布人各不相同' })
  threePartyPublication: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '最近修改时间（从未设置则为空）' })
  updatedAt: Date | null;

  @Field(() => String, { nullable: true, description: '最近修改人' })
  updatedBy: string | null;
}

/** Fields left out stay as they are; an explicit null clears a bound. */
@InputType('CountySettingsInput', { registerIn: () => AdminSchemaScope })
export class CountySettingsInput {
  @Field(() => Int, { nullable: true, description: '1–120 个月；null 表示不设' })
  listReviewMonths?: number | null;

  @Field(() => Int, { nullable: true, description: '0–3650 天；null 表示不限' })
  backdateLimitDays?: number | null;

  @Field({ nullable: true })
  threePartyPublication?: boolean;
}
