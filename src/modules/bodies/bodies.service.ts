import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, notFound } from '../../common/domain-error.js';
import { clip, normalizeName, textProblem, withoutInvisible } from '../../common/text-input.js';
import { isUuid } from '../../common/ids.js';
import { coversRegion, outOfScope, type Actor } from '../../auth/actor.js';
import { BodyAliasEntity } from './body-alias.entity.js';
import { closestNames, regionWords, type NamedCandidate } from './body-names.js';
import { countyOf, regionPrefix } from '../regions/region-code.js';
import { AuditService } from '../audit/audit.service.js';
import { levelOfCode } from '../regions/region-extract.js';
import { RegionsService } from '../regions/regions.service.js';
import { BODY_KINDS, BodyEntity, type BodyKind } from './body.entity.js';
import type { BodyModel } from './body.model.js';

export const toBodyModel = (b: Pick<BodyEntity, 'id' | 'name' | 'kind' | 'regionCode'> & { mergedIntoId?: string | null }): BodyModel => ({
  id: b.id,
  name: b.name,
  kind: b.kind,
  regionCode: b.regionCode,
  level: levelOfCode(b.regionCode),
  mergedIntoId: b.mergedIntoId ?? null,
});

/**
 * A body's name: one line of at most 100 characters, no markup (see common/text-input.ts); invisible
 * characters (zero-width spaces, direction marks) are dropped, so that no name looks like another.
 */
export function checkName(name: string, field = 'name', what = '主体名称'): string {
  const clean = typeof name === 'string' ? withoutInvisible(name) : '';
  const problem = clean ? textProblem(clean, { max: 100, kind: 'line' }) : '不能为空';
  if (problem) throw badInput(field, `${what}${problem}（不能为空，且不超过100个字符）`);
  return clean;
}

const actorName = (actor: Actor) => actor.username ?? 'system';

@Injectable()
export class BodiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(BodyEntity);
  }

  /** Bodies whose region lies within the given region (a county: its departments, townships and villages). */
  async listBodies(regionInput: string, includeMerged = false): Promise<BodyModel[]> {
    const code = this.regions.parseCode(regionInput, 'regionCode');
    const rows = await this.repo
      .createQueryBuilder('b')
      .where('b.region_code LIKE :prefix', { prefix: `${regionPrefix(code)}%` })
      .andWhere(includeMerged ? 'TRUE' : 'b.merged_into_id IS NULL')
      .orderBy('b.region_code')
      .addOrderBy('b.name')
      .getMany();
    return rows.map(toBodyModel);
  }

  async createBody(actor: Actor, name: string, kind: string, regionInput: string, manager?: EntityManager): Promise<BodyModel> {
    const cleanName = checkName(name);
    if (!BODY_KINDS.includes(kind as BodyKind))
      throw badInput('kind', `主体类型“${clip(kind)}”无效，应为：${BODY_KINDS.join('、')}`);
    const work = async (em: EntityManager) => {
      const region = await this.regions.requireRegion(regionInput, 'regionCode', em);
      const countyCode = countyOf(region.code);
      if (await this.sameName(em, countyCode, cleanName)) throw badInput('name', `本县（市、区）已有名为“${cleanName}”的主体`);
      await this.requireFreeName(em, countyCode, cleanName, 'name', null);
      const saved = await em.save(em.create(BodyEntity, { name: cleanName, kind: kind as BodyKind, regionCode: region.code, countyCode }));
      await this.audit.record(em, actor, {
        action: 'createBody', entityType: 'Body', entityId: saved.id, regionCode: region.code,
        after: { name: saved.name, kind: saved.kind, regionCode: saved.regionCode },
      });
      return toBodyModel(saved);
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  async renameBody(actor: Actor, id: string, name: string): Promise<BodyModel> {
    const cleanName = checkName(name);
    return this.dataSource.transaction(async (em) => {
      const body = isUuid(id) ? await em.findOne(BodyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!body) throw notFound('未找到该主体');
      const other = await this.sameName(em, body.countyCode, cleanName);
      if (other && other.id !== body.id) throw badInput('name', `本县（市、区）已有名为“${other.name}”的主体`);
      const before = body.name;
      body.name = cleanName;
      const saved = await em.save(body);
      await this.audit.record(em, actor, { action: 'renameBody', entityType: 'Body', entityId: body.id, regionCode: body.regionCode, before: { name: before }, after: { name: cleanName } });
      return toBodyModel(saved);
    });
  }

  /** The body of a county whose name reads the same (NFKC; the unique index body_county_name_key_uq). */
  private sameName(em: EntityManager, countyCode: string, name: string): Promise<BodyEntity | null> {
    return em.createQueryBuilder(BodyEntity, 'b').where('b.county_code = :countyCode AND normalize(b.name, NFKC) = :key', { countyCode, key: normalizeName(name) }).getOne();
  }

  /**
   * Bodies of a county by name, for resolving names written in lists: keyed by `normalizeName`, so a
   * name written with full-width letters or a zero-width space finds the body it looks like. A
   * recorded alias finds its body, and the name of a merged body the body it was merged into.
   */
  async findByNames(countyCode: string, names: string[], manager?: EntityManager): Promise<Map<string, BodyEntity>> {
    if (names.length === 0) return new Map();
    const county = countyOf(countyCode);
    const keys = [...new Set(names.map(normalizeName))];
    // One statement: names and aliases, each leading to its body (a merged body: the one it was merged into).
    const rows: { key: string; own: boolean; id: string; name: string; kind: BodyKind; region_code: string; county_code: string; merged_into_id: string | null }[] =
      await (manager ?? this.dataSource.manager).query(
        `SELECT k.key, k.own, t.id, t.name, t.kind, t.region_code, t.county_code, t.merged_into_id FROM (
           SELECT normalize(b.name, NFKC) AS key, true AS own, coalesce(b.merged_into_id, b.id) AS target FROM body b
           WHERE b.county_code = $1 AND normalize(b.name, NFKC) = ANY($2::text[])
           UNION ALL
           SELECT normalize(a.alias, NFKC), false, a.body_id FROM body_alias a WHERE a.county_code = $1 AND normalize(a.alias, NFKC) = ANY($2::text[])
         ) k JOIN body t ON t.id = k.target ORDER BY k.own DESC`,
        [county, keys],
      );
    const found = new Map<string, BodyEntity>();
    for (const r of rows)
      if (!found.has(r.key))
        found.set(r.key, Object.assign(new BodyEntity(), { id: r.id, name: r.name, kind: r.kind, regionCode: r.region_code, countyCode: r.county_code, mergedIntoId: r.merged_into_id }));
    return found;
  }

  /**
   * For names a list writes that the county does not know: the closest bodies of the county (by
   * their names and aliases; body-names.ts), best first. Names with no close body are left out.
   */
  async suggestFor(countyCode: string, names: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    if (names.length === 0) return new Map();
    const em = manager ?? this.dataSource.manager;
    const county = countyOf(countyCode);
    const bodies: { id: string; name: string }[] = await em.query('SELECT id, name FROM body WHERE county_code = $1 AND merged_into_id IS NULL', [county]);
    const aliases: { body_id: string; alias: string }[] = await em.query('SELECT body_id, alias FROM body_alias WHERE county_code = $1', [county]);
    const regionNames: { name: string }[] = await em.query('SELECT name FROM region WHERE code = ANY($1::text[])', [[`${county.slice(0, 2)}0000000000`, `${county.slice(0, 4)}00000000`, county]]);
    const candidates: NamedCandidate[] = bodies.map((b) => ({ name: b.name, names: [b.name, ...aliases.filter((a) => a.body_id === b.id).map((a) => a.alias)] }));
    const words = regionWords(regionNames.map((r) => r.name));
    const out = new Map<string, string[]>();
    for (const name of new Set(names)) {
      const closest = closestNames(name, candidates, words);
      if (closest.length) out.set(normalizeName(name), closest);
    }
    return out;
  }

  // ---------------------------------------------------------------- aliases

  /** A body to maintain, locked, after checking that its county lies in the actor's region. */
  async lockForMaintenance(em: EntityManager, actor: Actor, id: string, field = 'bodyId'): Promise<BodyEntity> {
    const body = isUuid(id) ? await em.findOne(BodyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!body) throw badInput(field, '未找到该主体');
    if (!coversRegion(actor, body.regionCode)) throw outOfScope(actor, `主体“${body.name}”（${body.regionCode.slice(0, 9)}）`);
    return body;
  }

  /**
   * Records another name of a body (an old name, a short form) that lists may write. It may be no
   * other body's name or alias in the county; a merged body's aliases are its successor's.
   */
  async addBodyAlias(actor: Actor, bodyId: string, alias: string, manager?: EntityManager): Promise<BodyModel> {
    const clean = checkName(alias, 'alias', '别名');
    const work = async (em: EntityManager) => {
      const body = await this.lockForMaintenance(em, actor, bodyId);
      if (body.mergedIntoId) throw conflict(`主体“${body.name}”已合并到其他主体，请为合并后的主体登记别名`, { field: 'bodyId' });
      await this.requireFreeName(em, body.countyCode, clean, 'alias', body.id);
      await em.save(em.create(BodyAliasEntity, { bodyId: body.id, countyCode: body.countyCode, alias: clean, createdBy: actorName(actor) }));
      await this.audit.record(em, actor, { action: 'addBodyAlias', entityType: 'Body', entityId: body.id, regionCode: body.regionCode, after: { alias: clean } });
      return toBodyModel(body);
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  async removeBodyAlias(actor: Actor, bodyId: string, alias: string): Promise<BodyModel> {
    const clean = checkName(alias, 'alias', '别名');
    return this.dataSource.transaction(async (em) => {
      const body = await this.lockForMaintenance(em, actor, bodyId);
      const rows: { id: string; alias: string }[] = await em.query(
        'WITH changed AS (DELETE FROM body_alias WHERE body_id = $1 AND normalize(alias, NFKC) = $2 RETURNING id, alias) SELECT * FROM changed',
        [body.id, normalizeName(clean)],
      );
      if (!rows.length) throw badInput('alias', `主体“${body.name}”没有别名“${clean}”`);
      await this.audit.record(em, actor, { action: 'removeBodyAlias', entityType: 'Body', entityId: body.id, regionCode: body.regionCode, before: { alias: rows[0].alias } });
      return toBodyModel(body);
    });
  }

  /** A name no body or alias of the county has yet (`except`: the body it is for may have it as its own name… no: refused too). */
  async requireFreeName(em: EntityManager, countyCode: string, name: string, field: string, forBodyId: string | null): Promise<void> {
    const body = await this.sameName(em, countyCode, name);
    if (body) {
      const whose = body.id === forBodyId ? '已是该主体的名称' : `已是本县主体“${body.name}”的名称${body.mergedIntoId ? '（该主体已被合并）' : ''}`;
      throw badInput(field, `“${name}”${whose}`);
    }
    const [alias]: { alias: string; name: string }[] = await em.query(
      'SELECT a.alias, b.name FROM body_alias a JOIN body b ON b.id = a.body_id WHERE a.county_code = $1 AND normalize(a.alias, NFKC) = $2',
      [countyCode, normalizeName(name)],
    );
    if (alias) throw badInput(field, `“${name}”已登记为本县主体“${alias.name}”的别名`);
  }

  /** Aliases by body id, for the `aliases` field. */
  createAliasLoader(): DataLoader<string, string[]> {
    return new DataLoader(async (ids) => {
      const rows: { body_id: string; alias: string }[] = await this.dataSource.query(
        'SELECT body_id, alias FROM body_alias WHERE body_id = ANY($1::uuid[]) ORDER BY created_at, alias',
        [[...ids]],
      );
      return ids.map((id) => rows.filter((r) => r.body_id === id).map((r) => r.alias));
    });
  }

  /** Names of bodies by id (a diff, an export: lists show bodies by name). */
  async namesOf(ids: string[], manager?: EntityManager): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await (manager ?? this.dataSource.manager).query('SELECT id, name FROM body WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  createLoader(): DataLoader<string, BodyModel | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.repo.createQueryBuilder('b').where('b.id IN (:...ids)', { ids: [...ids] }).getMany();
      const byId = new Map(rows.map((b) => [b.id, toBodyModel(b)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }
}
