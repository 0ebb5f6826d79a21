import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, notFound } from '../../common/domain-error.js';
import { clip, normalizeName, textProblem, withoutInvisible } from '../../common/text-input.js';
import { isUuid } from '../../common/ids.js';
import { parseLocalDate } from '../../common/local-date.scalar.js';
import type { Actor } from '../../auth/actor.js';
import { countyOf, regionPrefix } from '../regions/region-code.js';
import { AuditService } from '../audit/audit.service.js';
import { levelOfCode } from '../regions/region-extract.js';
import { RegionsService } from '../regions/regions.service.js';
import { BODY_KINDS, BodyEntity, type BodyKind } from './body.entity.js';
import type { BodyModel } from './body.model.js';

export const toBodyModel = (b: Pick<BodyEntity, 'id' | 'name' | 'kind' | 'regionCode'> & { dissolvedOn?: string | null }): BodyModel => ({
  id: b.id,
  name: b.name,
  kind: b.kind,
  regionCode: b.regionCode,
  level: levelOfCode(b.regionCode),
  dissolvedOn: b.dissolvedOn ?? null,
});

/**
 * A body's name: one line of at most 100 characters, no markup (see common/text-input.ts); invisible
 * characters (zero-width spaces, direction marks) are dropped, so that no name looks like another.
 */
function checkName(name: string): string {
  const clean = typeof name === 'string' ? withoutInvisible(name) : '';
  const problem = clean ? textProblem(clean, { max: 100, kind: 'line' }) : '不能为空';
  if (problem) throw badInput('name', `主体名称${problem}（不能为空，且不超过100个字符）`);
  return clean;
}

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
  async listBodies(regionInput: string): Promise<BodyModel[]> {
    const code = this.regions.parseCode(regionInput, 'regionCode');
    const rows = await this.repo
      .createQueryBuilder('b')
      .where('b.region_code LIKE :prefix', { prefix: `${regionPrefix(code)}%` })
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

  /**
   * Records that a body ceased to exist on a date (机构改革: merged, abolished). Lists that still
   * name it keep doing so (a published version never changes); the county's findings show them.
   * `on` null: the body exists again (a dissolution recorded by mistake).
   */
  async dissolveBody(actor: Actor, id: string, on: string | null, manager?: EntityManager): Promise<BodyModel> {
    if (on !== null && !parseLocalDate(on)) throw badInput('on', `撤销日期“${on}”无效`);
    const work = async (em: EntityManager) => {
      const body = isUuid(id) ? await em.findOne(BodyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!body) throw notFound('未找到该主体');
      const before = body.dissolvedOn;
      body.dissolvedOn = on;
      const saved = await em.save(body);
      await this.audit.record(em, actor, { action: 'dissolveBody', entityType: 'Body', entityId: body.id, regionCode: body.regionCode, before: { dissolvedOn: before }, after: { dissolvedOn: on } });
      return toBodyModel(saved);
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** The body of a county whose name reads the same (NFKC; the unique index body_county_name_key_uq). */
  private sameName(em: EntityManager, countyCode: string, name: string): Promise<BodyEntity | null> {
    return em.createQueryBuilder(BodyEntity, 'b').where('b.county_code = :countyCode AND normalize(b.name, NFKC) = :key', { countyCode, key: normalizeName(name) }).getOne();
  }

  /**
   * Bodies of a county by name, for resolving names written in lists: keyed by `normalizeName`, so a
   * name written with full-width letters or a zero-width space finds the body it looks like.
   */
  async findByNames(countyCode: string, names: string[], manager?: EntityManager): Promise<Map<string, BodyEntity>> {
    if (names.length === 0) return new Map();
    const rows = await (manager ?? this.dataSource.manager)
      .createQueryBuilder(BodyEntity, 'b')
      .where('b.county_code = :county AND normalize(b.name, NFKC) IN (:...keys)', { county: countyOf(countyCode), keys: [...new Set(names.map(normalizeName))] })
      .getMany();
    return new Map(rows.map((b) => [normalizeName(b.name), b]));
  }

  /** Names of bodies by id (a diff, an export: lists show bodies by name). */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query('SELECT id, name FROM body WHERE id = ANY($1::uuid[])', [ids]);
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
