import { Field, Int, ObjectType } from '@nestjs/graphql';
import { AdminSchemaScope } from '../../common/admin-schema-scope.js';
import { ListVersionModel } from '../lists/list.model.js';
import { BodyModel } from '../bodies/body.model.js';

@ObjectType('ImportError', { registerIn: () => AdminSchemaScope, description: 'a problem of an imported file: the row as Excel numbers it, the column by its header' })
export class ImportErrorModel {
  @Field(() => Int, { description: 'row number in the file (the header is usually row 1; in an xlsx with a title row, row 2)' })
  row: number;
  @Field(() => String, { nullable: true, description: 'the column header as the file writes it' })
  column: string | null;
  @Field({ description: 'in Chinese, for the clerk: 第12行「责任主体」：…' })
  message: string;
}

@ObjectType('ImportItem', { registerIn: () => AdminSchemaScope, description: 'an item of an import report: its code, its name, its row in the file' })
export class ImportItemModel {
  @Field({ description: 'the code the item has in the draft: the file\'s, the matched item\'s in force, or a new one (docs/import-export.md)' })
  itemCode: string;
  @Field()
  name: string;
  @Field(() => Int, { nullable: true, description: 'row in the file; null for a removed item' })
  row: number | null;
  @Field(() => String, { nullable: true, description: 'the sheet, in a workbook of several' })
  sheet: string | null;
}

@ObjectType('ImportReport', { registerIn: () => AdminSchemaScope })
export class ImportReportModel {
  @Field(() => ListVersionModel, { nullable: true, description: 'the new draft; null when the file had errors (nothing was written)' })
  version: ListVersionModel | null;
  @Field(() => Int, { description: 'items of the new draft (rows of the file)' })
  itemsImported: number;
  @Field(() => [ImportErrorModel], { description: 'every bad row; any error means no draft' })
  errors: ImportErrorModel[];
  @Field(() => [ImportErrorModel], { description: 'what was read but not imported (unknown columns, heading rows)' })
  warnings: ImportErrorModel[];
  @Field(() => Int, { description: 'items new to the list' })
  added: number;
  @Field(() => Int, { description: 'items that differ from the version in force' })
  changed: number;
  @Field(() => Int, { description: 'items identical to the version in force (no row written)' })
  unchanged: number;
  @Field(() => Int, { description: 'items in force that the file no longer has (removed in the draft)' })
  removed: number;
  @Field(() => [ImportItemModel])
  addedItems: ImportItemModel[];
  @Field(() => [ImportItemModel])
  changedItems: ImportItemModel[];
  @Field(() => [ImportItemModel])
  unchangedItems: ImportItemModel[];
  @Field(() => [ImportItemModel])
  removedItems: ImportItemModel[];
  @Field({ description: 'true: a dry run, the same import rolled back; version is then null and nothing was written' })
  dryRun: boolean;
}

@ObjectType('BodyImportReport', { registerIn: () => AdminSchemaScope })
export class BodyImportReportModel {
  @Field(() => Int, { description: 'bodies the file adds (a dry run: would add); 0 when the file had errors' })
  created: number;
  @Field(() => Int, { description: 'rows naming a body that exists with the same kind and region (left as it is)' })
  unchanged: number;
  @Field(() => Int, { description: 'aliases recorded (别名 column)' })
  aliasesAdded: number;
  @Field(() => [ImportErrorModel], { description: 'every bad row; any error means nothing was written' })
  errors: ImportErrorModel[];
  @Field(() => [ImportErrorModel])
  warnings: ImportErrorModel[];
  @Field(() => [BodyModel], { description: 'the bodies created (empty for a dry run)' })
  bodies: BodyModel[];
}
