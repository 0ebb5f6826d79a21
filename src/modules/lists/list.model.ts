import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
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
  type ListSection,
  type PowerCategory,
  type PowerSource,
  type TownshipRole,
} from './list-item.entity.js';
import { VERSION_STATUSES, type VersionStatus } from './list-version.entity.js';
import type { ItemContent, ItemInputValues } from './item-fields.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const ListKindEnum = enumOf(LIST_KINDS);
export const ListSectionEnum = enumOf(LIST_SECTIONS);
export const PowerCategoryEnum = enumOf(POWER_CATEGORIES);
export const PowerSourceEnum = enumOf(POWER_SOURCES);
export const VersionStatusEnum = enumOf(VERSION_STATUSES);
export const TownshipRoleEnum = enumOf(TOWNSHIP_ROLES);
registerEnumType(ListKindEnum, { name: 'ListKind', description: 'POWER 权力清单 / RESPONSIBILITY 责任清单' });
registerEnumType(ListSectionEnum, { name: 'ListSection', description: 'BASIC 基本履职 / COOPERATIVE 配合履职 / RECLAIMED 上级部门收回' });
registerEnumType(PowerCategoryEnum, { name: 'PowerCategory' });
registerEnumType(PowerSourceEnum, { name: 'PowerSource', description: 'STATUTORY 法定 / DELEGATED 赋权 / ENTRUSTED 委托' });
registerEnumType(VersionStatusEnum, { name: 'VersionStatus' });
registerEnumType(TownshipRoleEnum, { name: 'TownshipRole' });

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

@ObjectType('ListVersion')
export class ListVersionModel {
  @Field(() => ID)
  id: string;
  @Field(() => Int)
  number: number;
  @Field(() => VersionStatusEnum)
  status: VersionStatus;
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
  @Field(() => String, { nullable: true })
  changeReason: string | null;
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

// The classes above are checked against the item fields (item-fields.ts) by the compiler: the model
// holds every field's stored value and the input every field's input property. Their GraphQL fields
// are checked by test/e2e/schema.e2e.spec.ts.
type Missing<Of, In> = Exclude<keyof Of, keyof In>;
type ItemModelChecked = Missing<ItemContent, ListItemModel> extends never ? (ListItemModel extends ItemContent ? true : 'ListItemModel: a field has another type') : Missing<ItemContent, ListItemModel>;
type ItemInputChecked = [Missing<ItemInputValues, ListItemInput>, Missing<ListItemInput, ItemInputValues>] extends [never, never]
  ? ListItemInput extends ItemInputValues ? true : 'ListItemInput: a field has another type'
  : Missing<ItemInputValues, ListItemInput> | Missing<ListItemInput, ItemInputValues>;
type Holds<T extends true> = T;
export type ItemClassesMatchFields = [Holds<ItemModelChecked>, Holds<ItemInputChecked>];
