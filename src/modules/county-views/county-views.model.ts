import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import type { ListSection, TownshipRole } from '../lists/list-item.entity.js';
import { ListKindEnum, ListSectionEnum, TownshipRoleEnum } from '../lists/list.model.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const MATRIX_ROLES = ['LEAD', 'COOPERATE', 'RECLAIMED', 'ABSENT'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export const MATTER_FLAG_KINDS = ['LEAD_AND_RECLAIMED', 'RECLAIMED_BY_DIFFERENT_BODIES', 'DIFFERENT_LEGAL_BASES', 'MISSING_IN_TOWNSHIP'] as const;
export type MatterFlagKind = (typeof MATTER_FLAG_KINDS)[number];
export const FINDING_KINDS = ['DUPLICATE_LEAD', 'RECLAIMED_BY_NON_COUNTY_BODY', 'COOPERATING_BODY_GONE', 'LIST_PAST_REVIEW'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const DUTY_RELATIONS = ['ACCOUNTABLE', 'COOPERATING'] as const;
export type DutyRelation = (typeof DUTY_RELATIONS)[number];

export const MatrixRoleEnum = enumOf(MATRIX_ROLES);
export const MatterFlagKindEnum = enumOf(MATTER_FLAG_KINDS);
export const FindingKindEnum = enumOf(FINDING_KINDS);
export const DutyRelationEnum = enumOf(DUTY_RELATIONS);
registerEnumType(MatrixRoleEnum, { name: 'MatrixRole', description: 'LEAD 牵头/基本履职 · COOPERATE 配合 · RECLAIMED 已收回 · ABSENT 未列入' });
registerEnumType(MatterFlagKindEnum, {
  name: 'MatterFlagKind',
  description:
    'LEAD_AND_RECLAIMED 一地基本履职、另一地已收回 · RECLAIMED_BY_DIFFERENT_BODIES 收回部门不一致 · DIFFERENT_LEGAL_BASES 依据的法律法规不同 · MISSING_IN_TOWNSHIP 多数乡镇列入、个别未列',
});
registerEnumType(FindingKindEnum, {
  name: 'FindingKind',
  description:
    'DUPLICATE_LEAD 同一乡镇两项基本履职事项重复 · RECLAIMED_BY_NON_COUNTY_BODY 收回主体不是本县部门 · COOPERATING_BODY_GONE 配合主体已撤销 · LIST_PAST_REVIEW 清单超过评估期限',
});
registerEnumType(DutyRelationEnum, { name: 'DutyRelation', description: 'ACCOUNTABLE 责任（牵头或收回）主体 · COOPERATING 配合主体' });

@ObjectType('MatrixTownship', { description: '矩阵的一列：一个有现行清单的乡镇（街道）' })
export class MatrixTownshipModel {
  @Field()
  code: string;
  @Field()
  name: string;
  @Field(() => ID)
  versionId: string;
  @Field(() => Int)
  versionNumber: number;
  @Field(() => LocalDateScalar)
  effectiveFrom: string;
  @Field(() => String, { nullable: true, description: '批准文号' })
  approvalDocNumber: string | null;
}

@ObjectType('MatrixCell', { description: '一个事项在一个乡镇的情况' })
export class MatrixCellModel {
  @Field()
  townshipCode: string;
  @Field(() => MatrixRoleEnum)
  role: MatrixRole;
  @Field(() => String, { nullable: true })
  itemCode: string | null;
  @Field(() => String, { nullable: true })
  itemName: string | null;
  @Field(() => BodyModel, { nullable: true })
  accountableBody: BodyModel | null;
  @Field(() => String, { nullable: true, description: '实施依据，如清单所写' })
  basis: string | null;
  @Field(() => [String], { description: '依据的法律法规（已解析的标题）' })
  instruments: string[];
  @Field(() => ID, { nullable: true })
  versionId: string | null;
  @Field(() => Int, { nullable: true })
  versionNumber: number | null;
  @Field(() => Int, { description: '该乡镇本事项的条目数（大于1即重复）' })
  itemCount: number;
}

@ObjectType('MatterFlag', { description: '事项在各乡镇之间的不一致' })
export class MatterFlagModel {
  @Field(() => MatterFlagKindEnum)
  kind: MatterFlagKind;
  @Field()
  message: string;
  @Field(() => [String])
  townshipCodes: string[];
}

@ObjectType('Matter', { description: '跨乡镇的同一事项' })
export class MatterModel {
  @Field(() => ID, { description: 'stable while its items stay: the smallest "township|itemCode" of its items' })
  id: string;
  @Field()
  name: string;
  @Field(() => [String], { description: 'what joined its items: MANUAL, NAME, CONCEPT, CITATIONS' })
  evidence: string[];
  @Field(() => Int)
  townshipCount: number;
  @Field(() => [MatrixCellModel], { description: 'one per township, in the order of `townships`' })
  cells: MatrixCellModel[];
  @Field(() => [MatterFlagModel])
  flags: MatterFlagModel[];
}

@ObjectType('CountyMatrix', { description: '全县事项矩阵：事项 × 乡镇' })
export class CountyMatrixModel {
  @Field()
  countyCode: string;
  @Field()
  countyName: string;
  @Field(() => ListKindEnum)
  kind: ListKind;
  @Field(() => LocalDateScalar)
  asOf: string;
  @Field(() => [MatrixTownshipModel])
  townships: MatrixTownshipModel[];
  @Field(() => [MatterModel])
  matters: MatterModel[];
}

@ObjectType('CountyFinding', { description: '全县清单的缺漏与交叉' })
export class CountyFindingModel {
  @Field(() => FindingKindEnum)
  kind: FindingKind;
  @Field()
  message: string;
  @Field()
  townshipCode: string;
  @Field()
  townshipName: string;
  @Field(() => ListKindEnum)
  listKind: ListKind;
  @Field(() => ID)
  versionId: string;
  @Field(() => [String])
  itemCodes: string[];
  @Field(() => BodyModel, { nullable: true })
  body: BodyModel | null;
}

@ObjectType('BodyDuty', { description: '部门在一个乡镇清单中的一项职责' })
export class BodyDutyModel {
  @Field(() => DutyRelationEnum)
  relation: DutyRelation;
  @Field()
  townshipCode: string;
  @Field()
  townshipName: string;
  @Field(() => ListKindEnum)
  listKind: ListKind;
  @Field(() => ID)
  versionId: string;
  @Field(() => Int)
  versionNumber: number;
  @Field()
  itemCode: string;
  @Field()
  itemName: string;
  @Field(() => ListSectionEnum, { nullable: true })
  section: ListSection | null;
  @Field(() => TownshipRoleEnum)
  townshipRole: TownshipRole;
  @Field(() => BodyModel)
  accountableBody: BodyModel;
  @Field(() => String, { nullable: true, description: '本部门的配合职责（配合主体时）' })
  cooperatingDuty: string | null;
  @Field(() => String, { nullable: true, description: '上级部门职责' })
  leadDuty: string | null;
  @Field(() => String, { nullable: true, description: '乡镇的职责（配合履职事项中即乡镇的配合职责）' })
  townshipDuty: string | null;
}

@ObjectType('BodyDuties', { description: '部门履职事项清单：一个部门在全县各乡镇清单中的职责' })
export class BodyDutiesModel {
  @Field(() => BodyModel)
  body: BodyModel;
  @Field(() => LocalDateScalar)
  asOf: string;
  @Field(() => Int, { description: '作为责任主体（牵头或收回）的事项数' })
  accountableCount: number;
  @Field(() => Int, { description: '其中已收回的事项数' })
  reclaimedCount: number;
  @Field(() => Int)
  cooperatingCount: number;
  @Field(() => [BodyDutyModel])
  duties: BodyDutyModel[];
}
