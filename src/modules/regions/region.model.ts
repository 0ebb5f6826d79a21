import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { REGION_LEVELS, type RegionLevel } from './region.entity.js';

export const RegionLevelEnum = Object.fromEntries(REGION_LEVELS.map((l) => [l, l])) as { [K in RegionLevel]: K };
registerEnumType(RegionLevelEnum, { name: 'RegionLevel', description: '行政区划层级' });

@ObjectType('Region', { description: '行政区划 (12-digit statistical division code)' })
export class RegionModel {
  @Field()
  code: string;

  @Field()
  name: string;

  @Field(() => RegionLevelEnum)
  level: RegionLevel;

  parentCode: string | null;
}
