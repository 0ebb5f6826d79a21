import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RegionLevelEnum, RegionModel } from '../regions/region.model.js';
import type { RegionLevel } from '../regions/region.entity.js';

@ObjectType('Body', { description: '主体：可以承担责任的机关或组织' })
export class BodyModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: '人民政府、政府部门、党委部门、派出机构、执法机构、村(居)民委员会' })
  kind: string;

  @Field(() => RegionModel)
  region?: RegionModel;

  @Field(() => RegionLevelEnum, { description: 'Level of the body, from its region' })
  level: RegionLevel;

  @Field(() => [String], { description: '别名：登记的旧名称、简称，清单中写这些名称时解析为本主体' })
  aliases?: string[];

  @Field(() => BodyModel, { nullable: true, description: '已合并到的主体（mergeBodies）；合并后本主体仅作为已发布清单的历史记录保留' })
  mergedInto?: BodyModel | null;

  regionCode: string;
  mergedIntoId?: string | null;
}
