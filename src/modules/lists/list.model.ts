import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, OmitType, PartialType, registerEnumType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { LocalDateScalar } from '../../common/local-date.scalar.js';
import { BodyModel } from '../bodies/body.model.js';
import { RegionModel } from '../regions/region.model.js';
import { LIST_KINDS, type ListKind } from './duty-list.entity.js';
import {
  LIST_SECTIONS,
  POWER_CATEGORIES,
  POWER_SOURCES,
  TOWNSHIP_ROLES,
  WORK_MODES,
  type ListSection,
  type PowerCategory,
  type PowerSource,
  type TownshipRole,
  type WorkMode,
} from './list-item.entity.js';
import { VERSION_STATUSES, type VersionStatus } from './list-version.entity.js';
import type { ItemContent, ItemInputValues } from './item-fields.js';
import { GATE_KINDS, type GateKind } from './gate-findings.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const ListKindEnum = enumOf(LIST_KINDS);
export const ListSectionEnum = enumOf(LIST_SECTIONS);
export const PowerCategoryEnum = enumOf(POWER_CATEGORIES);
export const PowerSourceEnum = enumOf(POWER_SOURCES);
export const VersionStatusEnum = enumOf(VERSION_STATUSES);
export const TownshipRoleEnum = enumOf(TOWNSHIP_ROLES);
export const WorkModeEnum = enumOf(WORK_MODES);
registerEnumType(ListKindEnum, { name: 'ListKind', description: 'POWER 权力清单 / RESPONSIBILITY 责任清单' });
registerEnumType(ListSectionEnum, { name: 'ListSection', description: 'BASIC 基本履职 / COOPERATIVE 配合履职 / RECLAIMED 上级部门收回' });
registerEnumType(PowerCategoryEnum, { name: 'PowerCategory' });
registerEnumType(PowerSourceEnum, { name: 'PowerSource', description: 'STATUTORY 法定 / DELEGATED 赋权 / ENTRUSTED 委托' });
registerEnumType(VersionStatusEnum, { name: 'VersionStatus' });
registerEnumType(TownshipRoleEnum, { name: 'TownshipRole' });
export const GateKindEnum = enumOf(GATE_KINDS);
registerEnumType(GateKindEnum, {
  name: 'GateKind',
  description: 'NO_LEGAL_BASIS 无实施依据 / DUPLICATE_NAME 同一部分中事项名称重复 / UNRESOLVED_CITATION 依据无法在法规库中找到',
});

@ObjectType('GateFinding', { description: '提交审核前的检查结果：导入时为警告，提交审核时须修改事项或逐项说明理由（recordGateException）' })
export class GateFindingModel {
  @Field()
  itemCode: string;
  @Field()
  name: string;
  @Field(() => GateKindEnum)
  kind: GateKind;
  @Field({ description: 'in Chinese, for the editor and the reviewer' })
  message: string;
  @Field({ description: '是否阻止提交审核：本草稿新增或修改的事项为 true；沿用现行版本未改动的事项（已经审核发布）为 false，仅供审核人员参考' })
  blocking: boolean;
  @Field(() => String, { nullable: true, description: '编辑人员登记的理由；null: 未说明（有阻止提交的问题时草稿不能提交审核）' })
  exceptionReason: string | null;
}
registerEnumType(WorkModeEnum, { name: 'WorkMode', description: '工作方式 of a reclaimed item: STATIONED 派驻 / WINDOW 窗口受理 / ONLINE 线上办理 / ON_SITE 现场办理 / OTHER 其他' });

@ObjectType('Citation')
export class CitationModel {
  @Field({ description: 'the text as the list wrote it' })
  raw: string;
  @Field(() => String, { nullable: true })
  instrumentTitle: string | null;
  @Field(() => Int, { nullable: true })
  article: number | null;
  @Field(() => Int, { nullable: true })
  paragraph: number | null;
  @Field(() => Int, { nullable: true })
  item: number | null;
  @Field()
  label: string;
  @Field(() => String, { nullable: true, description: "the provision's text at the cited version, where known" })
  text?: string | null;
  @Field({ description: 'false: kept as written, flagged for the editor' })
  resolved: boolean;

  provisionId: string | null;
}

@ObjectType('CooperatingDuty')
export class CooperatingDutyModel {
  @Field(() => BodyModel)
  body?: BodyModel;
  @Field()
  duty: string;

  bodyId: string;
}

@ObjectType('ListItem')
export class ListItemModel {
  @Field(() => ID)
  id: string;
  @Field()
  itemCode: string;
  @Field()
  name: string;
  @Field(() => String, { nullable: true })
  description: string | null;
  @Field(() => String, { nullable: true, description: '子项 of a composite power' })
  subItem: string | null;
  @Field(() => String, { nullable: true, description: '承办机构 (power lists)' })
  handlingUnit: string | null;
  @Field(() => ListSectionEnum, { nullable: true })
  section: ListSection | null;
  @Field(() => PowerCategoryEnum, { nullable: true })
  category: PowerCategory | null;
  @Field(() => PowerSourceEnum, { nullable: true })
  source: PowerSource | null;
  @Field(() => BodyModel, { description: 'exactly one' })
  accountableBody?: BodyModel;
  @Field(() => TownshipRoleEnum)
  townshipRole: TownshipRole;
  @Field(() => String, { nullable: true, description: '上级部门职责 (cooperative items)' })
  leadDuty: string | null;
  @Field(() => BodyModel, { nullable: true, description: '承接部门 (reclaimed items): the unit that handles the matter now' })
  takeoverBody?: BodyModel | null;
  @Field(() => WorkModeEnum, { nullable: true, description: '工作方式 (reclaimed items)' })
  workMode: WorkMode | null;
  @Field(() => String, { nullable: true })
  townshipDuty: string | null;
  @Field(() => String, { nullable: true })
  villageDuty: string | null;
  @Field(() => [CooperatingDutyModel])
  cooperating: CooperatingDutyModel[];
  @Field(() => [CitationModel])
  citations?: CitationModel[];
  @Field(() => [String], { description: '责任事项' })
  stagedDuties: string[];
  @Field(() => [String], { description: '追责情形' })
  accountabilityCircumstances: string[];
  @Field(() => [String], { description: '免责情形' })
  exemptions: string[];
  @Field(() => [String])
  keywords: string[];
  @Field(() => [String], { description: '常见问法：群众的说法，由编辑从提问记录中添加，随清单版本保存并参与检索' })
  aliases: string[];

  accountableBodyId: string;
  takeoverBodyId: string | null;
  legalBasis: string | null;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field()
  hasNextPage: boolean;
  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('ListItemEdge')
export class ListItemEdgeModel {
  @Field()
  cursor: string;
  @Field(() => ListItemModel)
  node: ListItemModel;
}

@ObjectType('ListItemConnection')
export class ListItemConnectionModel {
  @Field(() => [ListItemEdgeModel])
  edges: ListItemEdgeModel[];
  @Field(() => PageInfoModel)
  pageInfo: PageInfoModel;
  @Field(() => Int)
  totalCount: number;
}

/** The knownAt argument of every as-of read (transaction time beside valid time). */
export const KNOWN_AT = '截至某一时刻登记簿已发布的内容（如 2026-09-01T23:59:59+08:00）：重现当时公众看到的答复；不填为现在';

@ObjectType('ListVersion')
export class ListVersionModel {
  @Field(() => ID)
  id: string;
  @Field(() => Int)
  number: number;
  @Field(() => VersionStatusEnum)
  status: VersionStatus;
  @Field({ description: '状态的显示用语（今天）：现行有效、现行有效（v2 将于 D 起施行）、已被替代（自 D 起由 v2 施行）、已发布，将于 D 起施行、草稿…' })
  statusLabel?: string;
  @Field({ description: 'SHA-256 of the canonical JSON of the version and its items as stored (docs/api.md): the same for everyone, forever, once published' })
  contentHash?: string;
  @Field(() => ListKindEnum)
  kind: ListKind;
  @Field(() => RegionModel)
  region?: RegionModel;
  @Field(() => LocalDateScalar, { nullable: true })
  effectiveFrom: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: '[from, to); null while in force' })
  effectiveTo: string | null;
  @Field(() => String, { nullable: true, description: '批准文号' })
  approvalDocNumber: string | null;
  @Field(() => String, { nullable: true })
  reviewOpinion: string | null;
  @Field(() => String, { nullable: true, description: '调整原因，取值之一：立改废释、职责准入、乡镇申请、其他' })
  changeReason: string | null;
  @Field(() => String, { nullable: true, description: '调整说明（自由文字）' })
  changeNote?: string | null;
  @Field(() => [GateFindingModel], {
    nullable: true,
    description: '检查结果（无实施依据、同一部分重名、依据无法解析）及编辑登记的理由：草稿为当前结果，已提交的版本为提交时的结果；null: 提交于检查上线之前',
  })
  gateFindings?: GateFindingModel[] | null;
  @Field(() => ListVersionModel, { nullable: true })
  basedOn?: ListVersionModel | null;
  @Field(() => Int, { description: 'bumps on every change to a draft; see expectedRevision' })
  revision: number;
  @Field(() => String, { nullable: true })
  submittedBy: string | null;
  @Field(() => String, { nullable: true })
  approvedBy: string | null;
  @Field(() => String, { nullable: true })
  publishedBy: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: '审核确认的生效日期（审核时未确认则为空）' })
  approvedEffectiveFrom: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: '发布时间：自此公众可见（knownAt 查询以此为准）' })
  publishedAt: Date | null;
  @Field({ description: '更正（补录）：发布晚于生效日期，在生效日期与发布日期之间，公众看到的是之前的版本' })
  correction: boolean;
  @Field(() => ListItemConnectionModel)
  items?: ListItemConnectionModel;

  listId: string;
  regionCode: string;
  basedOnId: string | null;
}

@ObjectType('FieldChange')
export class FieldChangeModel {
  @Field()
  field: string;
  @Field(() => String, { nullable: true })
  before: string | null;
  @Field(() => String, { nullable: true })
  after: string | null;
}

@ObjectType('ItemChange')
export class ItemChangeModel {
  @Field()
  itemCode: string;
  @Field()
  name: string;
  @Field({ description: 'ADDED, REMOVED or CHANGED' })
  change: 'ADDED' | 'REMOVED' | 'CHANGED';
  @Field(() => [FieldChangeModel])
  fields: FieldChangeModel[];
}

@ObjectType('VersionDiff')
export class VersionDiffModel {
  @Field(() => ListVersionModel)
  from: ListVersionModel;
  @Field(() => ListVersionModel)
  to: ListVersionModel;
  @Field(() => [ItemChangeModel])
  changes: ItemChangeModel[];
}

@ObjectType('ItemState', { description: 'one stored state of an item, holding in versions [fromVersion, toVersion)' })
export class ItemStateModel {
  @Field(() => ListItemModel)
  item: ListItemModel;
  @Field(() => Int)
  fromVersion: number;
  @Field(() => Int, { nullable: true, description: 'the version that replaced or removed this state; null while it holds' })
  toVersion: number | null;
}

@ObjectType('ItemHistory')
export class ItemHistoryModel {
  @Field()
  regionCode: string;
  @Field()
  itemCode: string;
  @Field(() => ListKindEnum)
  kind: ListKind;
  @Field(() => [ListVersionModel], { description: "the versions of the item's list, newest first" })
  versions: ListVersionModel[];
  @Field(() => [ItemStateModel], { description: 'oldest first' })
  states: ItemStateModel[];
}

@InputType('CooperatingDutyInput', { registerIn: () => AdminSchemaScope })
export class CooperatingDutyInput {
  @Field()
  bodyName: string;
  @Field()
  duty: string;
}

@InputType('ListItemInput', { registerIn: () => AdminSchemaScope })
export class ListItemInput {
  @Field()
  itemCode: string;
  @Field()
  name: string;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field(() => String, { nullable: true })
  subItem?: string | null;
  @Field(() => String, { nullable: true })
  handlingUnit?: string | null;
  @Field(() => ListSectionEnum, { nullable: true })
  section?: ListSection | null;
  @Field(() => PowerCategoryEnum, { nullable: true })
  category?: PowerCategory | null;
  @Field(() => PowerSourceEnum, { nullable: true })
  source?: PowerSource | null;
  @Field({ description: 'must name a known body of the county' })
  accountableBodyName: string;
  @Field(() => String, { nullable: true })
  leadDuty?: string | null;
  @Field(() => String, { nullable: true, description: '承接部门 (reclaimed items): a known body of the county, by name' })
  takeoverBodyName?: string | null;
  @Field(() => WorkModeEnum, { nullable: true })
  workMode?: WorkMode | null;
  @Field(() => String, { nullable: true })
  townshipDuty?: string | null;
  @Field(() => String, { nullable: true })
  villageDuty?: string | null;
  @Field(() => [CooperatingDutyInput], { nullable: true })
  cooperating?: CooperatingDutyInput[] | null;
  @Field(() => String, { nullable: true, description: 'raw citation text, parsed by the server' })
  legalBasis?: string | null;
  @Field(() => [String], { nullable: true })
  stagedDuties?: string[] | null;
  @Field(() => [String], { nullable: true })
  accountabilityCircumstances?: string[] | null;
  @Field(() => [String], { nullable: true })
  exemptions?: string[] | null;
  @Field(() => [String], { nullable: true })
  keywords?: string[] | null;
  @Field(() => [String], { nullable: true })
  aliases?: string[] | null;
}

/**
 * The fields `updateItem` changes: every field of ListItemInput but the item code, each optional.
 * A field left out is kept; a field given as null is cleared (a required one is then refused).
 */
@InputType('ListItemPatch', { registerIn: () => AdminSchemaScope, description: 'updateItem：只修改给出的字段；未给出的字段保持不变，给出 null 则清空' })
export class ListItemPatch extends PartialType(OmitType(ListItemInput, ['itemCode'] as const, InputType), InputType) {}

// The classes above are checked against the item fields (item-fields.ts) by the compiler: the model
// holds every field's stored value and the input every field's input property. Their GraphQL fields
// are checked by test/e2e/schema.e2e.spec.ts.
type Missing<Of, In> = Exclude<keyof Of, keyof In>;
type ItemModelChecked = Missing<ItemContent, ListItemModel> extends never ? (ListItemModel extends ItemContent ? true : 'ListItemModel: a field has another type') : Missing<ItemContent, ListItemModel>;
type ItemInputChecked = [Missing<ItemInputValues, ListItemInput>, Missing<ListItemInput, ItemInputValues>] extends [never, never]
  ? ListItemInput extends ItemInputValues ? true : 'ListItemInput: a field has another type'
  : Missing<ItemInputValues, ListItemInput> | Missing<ListItemInput, ItemInputValues>;
type PatchChecked = [Missing<Omit<ItemInputValues, 'itemCode'>, ListItemPatch>, Missing<ListItemPatch, Omit<ItemInputValues, 'itemCode'>>] extends [never, never]
  ? true
  : Missing<Omit<ItemInputValues, 'itemCode'>, ListItemPatch> | Missing<ListItemPatch, Omit<ItemInputValues, 'itemCode'>>;
type Holds<T extends true> = T;
export type ItemClassesMatchFields = [Holds<ItemModelChecked>, Holds<ItemInputChecked>, Holds<PatchChecked>];
