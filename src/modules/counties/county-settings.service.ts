import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/actor.js';
import { coversRegion } from '../../auth/actor.js';
import { badInput, forbidden } from '../../common/domain-error.js';
import { AuditService } from '../audit/audit.service.js';
import { countyOf } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { CountySettingEntity } from './county-setting.entity.js';
import type { CountySettingsInput, CountySettingsModel } from './county-settings.model.js';

/** A county's rules as the features read them: the defaults when the county never set any. */
export interface CountySettings {
  countyCode: string;
  listReviewMonths: number | null;
  backdateLimitDays: number | null;
  threePartyPublication: boolean;
}

const DEFAULTS = { listReviewMonths: null, backdateLimitDays: null, threePartyPublication: false } as const;

const BOUNDS = {
  listReviewMonths: { min: 1, max: 120, label: '清单复核周期（月）' },
  backdateLimitDays: { min: 0, max: 3650, label: '施行日期最多可早于发布日期的天数' },
} as const;

const toModel = (countyCode: string, row: CountySettingEntity | null): CountySettingsModel => ({
  countyCode,
  listReviewMonths: row?.listReviewMonths ?? DEFAULTS.listReviewMonths,
  backdateLimitDays: row?.backdateLimitDays ?? DEFAULTS.backdateLimitDays,
  threePartyPublication: row?.threePartyPublication ?? DEFAULTS.threePartyPublication,
  updatedAt: row?.updatedAt ?? null,
  updatedBy: row?.updatedBy ?? null,
});

@Injectable()
export class CountySettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  /** The settings of the county holding a region (a township, village or the county itself), for the services that apply them. */
  async forRegion(regionCode: string, manager: EntityManager = this.dataSource.manager): Promise<CountySettings> {
    const countyCode = countyOf(regionCode);
    const { updatedAt: _at, updatedBy: _by, ...settings } = toModel(countyCode, await manager.findOneBy(CountySettingEntity, { countyCode }));
    return settings;
  }

  /** The settings as a user of the county (or an ADMIN) reads them. */
  async settingsOf(actor: Actor, countyInput: string): Promise<CountySettingsModel> {
    const county = await this.requireCounty(countyInput);
    if (!coversRegion(actor, county)) throw forbidden(`不在您的辖区内：无权查看 ${county} 的设置`);
    return toModel(county, await this.dataSource.manager.findOneBy(CountySettingEntity, { countyCode: county }));
  }

  async updateSettings(actor: Actor, countyInput: string, input: CountySettingsInput): Promise<CountySettingsModel> {
    const county = await this.requireCounty(countyInput);
    if (!coversRegion(actor, county)) throw forbidden(`不在您的辖区内：无权修改 ${county} 的设置`);
    for (const key of ['listReviewMonths', 'backdateLimitDays'] as const) {
      const value = input[key];
      const { min, max, label } = BOUNDS[key];
      if (value !== undefined && value !== null && !(Number.isInteger(value) && value >= min && value <= max))
        throw badInput(key, `${label}应为 ${min}–${max} 的整数，或为空表示不设`);
    }
    return this.dataSource.transaction(async (em) => {
      const row = await em.findOne(CountySettingEntity, { where: { countyCode: county }, lock: { mode: 'pessimistic_write' } });
      const before = toModel(county, row);
      const next = em.create(CountySettingEntity, {
        countyCode: county,
        listReviewMonths: input.listReviewMonths === undefined ? before.listReviewMonths : input.listReviewMonths,
        backdateLimitDays: input.backdateLimitDays === undefined ? before.backdateLimitDays : input.backdateLimitDays,
        threePartyPublication: input.threePartyPublication ?? before.threePartyPublication,
        updatedBy: actor.username ?? 'system',
      });
      const saved = await em.save(next);
      const after = toModel(county, saved);
      const changed = (m: CountySettingsModel) => ({ listReviewMonths: m.listReviewMonths, backdateLimitDays: m.backdateLimitDays, threePartyPublication: m.threePartyPublication });
      await this.audit.record(em, actor, { action: 'updateCountySettings', entityType: 'CountySettings', entityId: county, regionCode: county, before: changed(before), after: changed(after) });
      return after;
    });
  }

  private async requireCounty(input: string): Promise<string> {
    const region = await this.regions.requireRegion(input, 'countyCode');
    if (region.level !== 'COUNTY') throw badInput('countyCode', `“${region.name}”不是县级区划：请填写县（市、区）的代码`);
    return region.code;
  }
}
