import type { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to bring the database in line with the entities. Empty when the
 * entities and the migrations agree; CI fails otherwise.
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
