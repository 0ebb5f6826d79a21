import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { clip } from '../../common/text-input.js';
import { RegionEntity, type RegionLevel } from './region.entity.js';
import { ReadCache } from '../../common/read-cache.js';
import { countyOf, normalizeRegionCode, regionPrefix } from './region-code.js';
import { readRegionExtract, readVillagesOfCounty, type RegionRecord } from './region-extract.js';

/** The endings of county and township names: a name typed without one still finds its region. */
const REGION_SUFFIXES = ['市', '县', '区', '旗', '镇', '乡', '街道', '苏木'];

@Injectable()
export class RegionsService {
  private readonly logger = new Logger('Regions');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readCache: ReadCache,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(RegionEntity);
  }

  /** 12-digit code of an input, or BAD_USER_INPUT naming the field. */
  parseCode(input: string, field: string): string {
    const code = normalizeRegionCode(input);
    if (!code) throw badInput(field, `区划代码“${clip(input)}”格式不正确：应为2、4、6、9或12位数字`);
    return code;
  }

  async findRegion(input: string, field = 'code'): Promise<RegionEntity | null> {
    return this.repo.findOneBy({ code: this.parseCode(input, field) });
  }

  /** A region that must exist: unknown codes are the caller's input error. */
  async requireRegion(input: string, field: string, manager?: EntityManager): Promise<RegionEntity> {
    const code = this.parseCode(input, field);
    // Region rows are reference data, never updated: outside a transaction, found ones are kept.
    const known = manager ? undefined : this.readCache.peek<RegionEntity>('regions', code);
    const region = known ?? (await (manager ?? this.dataSource.manager).findOneBy(RegionEntity, { code }));
    if (region && !manager) this.readCache.set('regions', code, region);
    if (!region) throw badInput(field, `未找到区划代码“${clip(input)}”`);
    return region;
  }

  /**
   * Counties and townships named `name`: the one region whose name is `name`, or `name` with a
   * level's suffix (张渚 → 张渚镇; 宜兴 → the county 宜兴市 before the township 宜兴乡), when
   * there is exactly one (or exactly one county); otherwise those whose
   * name begins with it, counties before townships, at most `limit`. The portal's region picker
   * resolves a typed name on the server.
   */
  async findByName(name: string, limit = 20): Promise<RegionEntity[]> {
    const typed = name.trim();
    if (!typed) return [];
    // 宜兴 → 宜兴市, 张渚 → 张渚镇: the name with a level's suffix, when exactly one region has it.
    const suffixed: RegionEntity[] = await this.repo
      .createQueryBuilder('r')
      .where("r.level IN ('COUNTY', 'TOWNSHIP') AND r.name IN (:...names)", { names: [typed, ...REGION_SUFFIXES.map((s) => typed + s)] })
      .limit(10)
      .getMany();
    const exact = suffixed.filter((r) => r.name === typed);
    const counties = suffixed.filter((r) => r.level === 'COUNTY');
    const one = exact.length === 1 ? exact : counties.length === 1 ? counties : suffixed.length === 1 ? suffixed : null;
    if (one) return one;
    const prefix = `${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.repo
      .createQueryBuilder('r')
      .where("r.level IN ('COUNTY', 'TOWNSHIP') AND r.name LIKE :prefix", { prefix })
      .orderBy('(r.name = :typed)', 'DESC')
      .addOrderBy('r.level', 'ASC')
      .addOrderBy('r.code', 'ASC')
      .setParameter('typed', typed)
      .limit(limit)
      .getMany();
  }

  /** Children of a region, or its descendants at `level`; without a parent, the regions of a level (provinces by default). */
  async listRegions(parentInput: string | null | undefined, level: RegionLevel | null | undefined): Promise<RegionEntity[]> {
    const qb = this.repo.createQueryBuilder('r').orderBy('r.code');
    if (parentInput) {
      const parent = this.parseCode(parentInput, 'parentCode');
      if (level) {
        const prefix = regionPrefix(parent);
        qb.where('r.code LIKE :prefix AND r.level = :level AND r.code <> :parent', { prefix: `${prefix}%`, level, parent });
      } else {
        qb.where('r.parent_code = :parent', { parent });
      }
    } else {
      qb.where('r.level = :level', { level: level ?? 'PROVINCE' });
    }
    return qb.getMany();
  }

  createLoader(): DataLoader<string, RegionEntity | null> {
    return new DataLoader(async (codes) => {
      const byCode = new Map<string, RegionEntity>();
      for (const c of codes) {
        const known = this.readCache.peek<RegionEntity>('regions', c);
        if (known) byCode.set(c, known);
      }
      const missing = codes.filter((c) => !byCode.has(c));
      const rows = missing.length ? await this.repo.createQueryBuilder('r').where('r.code IN (:...codes)', { codes: missing }).getMany() : [];
      for (const r of rows) {
        byCode.set(r.code, r);
        this.readCache.set('regions', r.code, r);
      }
      return codes.map((c) => byCode.get(c) ?? null);
    });
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.repo.exists({}));
  }

  /** Loads provinces to townships from the shipped extract (idempotent). */
  async loadExtract(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const records = readRegionExtract();
    await insertRegions(manager, records);
    this.logger.log(`Loaded ${records.length} regions (province to township)`);
    return records.length;
  }

  /** Loads the villages of one county from the shipped extract (idempotent). */
  async loadVillages(countyInput: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const county = countyOf(this.parseCode(countyInput, 'countyCode'));
    const records = readVillagesOfCounty(county);
    await insertRegions(manager, records);
    return records.length;
  }
}

async function insertRegions(manager: EntityManager, records: RegionRecord[]): Promise<void> {
  // Parents first (records are sorted by level then code), in chunks to stay under the parameter limit.
  const sorted = [...records].sort((a, b) => levelRank(a.level) - levelRank(b.level) || a.code.localeCompare(b.code));
  for (let i = 0; i < sorted.length; i += 5000) {
    const chunk = sorted.slice(i, i + 5000);
    await manager.query(
      `INSERT INTO region (code, name, level, parent_code)
       SELECT * FROM unnest($1::char(12)[], $2::text[], $3::varchar[], $4::char(12)[])
       ON CONFLICT (code) DO NOTHING`,
      [chunk.map((r) => r.code), chunk.map((r) => r.name), chunk.map((r) => r.level), chunk.map((r) => r.parentCode)],
    );
  }
}

const levelRank = (level: RegionLevel) => ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE'].indexOf(level);
