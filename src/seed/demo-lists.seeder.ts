import fs from 'node:fs';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { readCsvRecords } from '../common/csv.js';
import type { ListKind } from '../modules/lists/duty-list.entity.js';
import { ItemRepository } from '../modules/lists/item.repository.js';
import { ListItemPreparer } from '../modules/lists/list-item.preparer.js';
import { recordToItemInput } from '../modules/lists/list-sheet.js';
import { ListVersionEntity } from '../modules/lists/list-version.entity.js';
import { ListVersionsService } from '../modules/lists/list-versions.service.js';
import type { ListItemInput } from '../modules/lists/list.model.js';
import { demoFile } from './demo-files.js';

// The demo is drafted, reviewed and published by two named system actors, as a county would.
const DEMO_EDITOR: Actor = { userId: null, username: 'demo-editor', role: 'ADMIN', regionCode: null };
const DEMO_REVIEWER: Actor = { userId: null, username: 'demo-reviewer', role: 'ADMIN', regionCode: null };

const TOWN_A = '320282100000';
const TOWN_B = '320282103000';
const TOWN_C = '320282112000';

/**
 * The demo towns' lists from the shipped fixtures, published as version 1 from 2025-01-01; town A's
 * responsibility list also gets a version 2 from 2026-07-01 (one item added, one changed, one
 * removed), so history, as-of and diff show something real on a fresh start. Town C (丁蜀镇) publishes
 * a responsibility list from 2025-07-01 that disagrees with A and B on purpose, so the county's matrix
 * and findings show every kind of inconsistency.
 */
@Injectable()
export class DemoListsSeeder {
  constructor(
    private readonly versions: ListVersionsService,
    private readonly preparer: ListItemPreparer,
    private readonly items: ItemRepository,
  ) {}

  async load(em: EntityManager): Promise<void> {
    await this.publish(em, TOWN_A, 'POWER', this.fixture('town-A-power.csv', 'POWER'), '2025-01-01', '宜政发〔2024〕88号');
    const a1 = this.fixture('town-A-responsibility.csv', 'RESPONSIBILITY');
    await this.publish(em, TOWN_A, 'RESPONSIBILITY', a1, '2025-01-01', '宜政发〔2024〕89号');
    await this.publish(em, TOWN_B, 'RESPONSIBILITY', this.fixture('town-B-responsibility.csv', 'RESPONSIBILITY'), '2025-01-01', '宜政发〔2024〕90号');
    await this.publish(em, TOWN_A, 'RESPONSIBILITY', townAVersion2(a1), '2026-07-01', '宜政发〔2026〕31号', '职责准入');
    // 丁蜀镇: a shorter list with deliberate inconsistencies with 张渚镇 and 徐舍镇 (docs/county-views.md).
    await this.publish(em, TOWN_C, 'RESPONSIBILITY', this.fixture('town-C-responsibility.csv', 'RESPONSIBILITY'), '2025-07-01', '宜政发〔2025〕42号');
  }

  private fixture(file: string, kind: ListKind): ListItemInput[] {
    return readCsvRecords(fs.readFileSync(demoFile(file), 'utf8')).map((r) => recordToItemInput(kind, r));
  }

  /** A draft whose items are exactly `items`, taken through review to publication. */
  private async publish(em: EntityManager, township: string, kind: ListKind, items: ListItemInput[], from: string, docNumber: string, reason = '其他') {
    const draft = await this.versions.createDraft(DEMO_EDITOR, township, kind, reason, em);
    const version = await em.getRepository(ListVersionEntity).findOneByOrFail({ id: draft.id });
    const prepared = await this.preparer.prepare(items, version, from, em);
    const wanted = new Set<string>();
    for (const [i, result] of prepared.entries()) {
      if (!result.ok) throw new Error(`demo item ${items[i].itemCode}: ${JSON.stringify(result.errors)}`);
      wanted.add(result.item.itemCode);
      await this.items.writeDraftItems(em, version, [result.item], DEMO_EDITOR.username!);
    }
    for (const code of await this.items.codesInForce(em, version.listId)) if (!wanted.has(code)) await this.versions.removeItem(DEMO_EDITOR, draft.id, code, null, em);
    // The demo lists cite county documents and provincial decisions the demo catalogue does not hold:
    // the demo editor records why, as a county office would, so that the reviewer sees each finding.
    const findings = await this.versions.draftFindings(await em.getRepository(ListVersionEntity).findOneByOrFail({ id: draft.id }), em);
    for (const code of new Set(findings.map((f) => f.itemCode)))
      await this.versions.recordGateException(DEMO_EDITOR, draft.id, code, '演示数据：所引文件未收入演示法规库，已人工核对原文', null, em);
    await this.versions.submitForReview(DEMO_EDITOR, draft.id, em);
    // The demo's dates lie in the past of any start: the reviewer approves each date, and the
    // versions show as corrections (published after they took effect), as history loads do.
    await this.versions.approveVersion(DEMO_REVIEWER, draft.id, '经合法性审查，同意。', from, em);
    await this.versions.publishVersion(DEMO_EDITOR, draft.id, from, docNumber, em);
  }
}

function townAVersion2(v1: ListItemInput[]): ListItemInput[] {
  const items = v1
    .filter((i) => i.itemCode !== '320282-100-PH-004') // 校外培训机构治理: taken off the list
    .map((i) =>
      i.itemCode === '320282-100-JB-003'
        ? {
            ...i,
            description: `${i.description}夏秋两季实行镇村干部包片、网格员包田的禁烧责任制，推广秸秆机械化还田和离田收储。`,
            keywords: [...(i.keywords ?? []), '烧地', '冒黑烟'],
          }
        : i,
    );
  items.push({
    itemCode: '320282-100-PH-015',
    name: '消防安全检查',
    section: 'COOPERATIVE',
    description: '配合宜兴市消防救援大队对辖区内生产经营单位、人员密集场所和“九小场所”开展消防安全检查，督促整改火灾隐患。',
    legalBasis: '《中华人民共和国消防法》第四条第一款；《中华人民共和国消防法》第三十二条',
    accountableBodyName: '宜兴市消防救援大队',
    cooperating: [{ bodyName: '宜兴市应急管理局', duty: '负责消防安全综合监管和业务指导' }],
    townshipDuty: '组织网格员开展日常消防巡查，发现火灾隐患及时劝导并报告消防救援机构，配合开展检查和宣传。',
    villageDuty: '确定消防安全管理人，组织防火安全检查，发现隐患及时报告。',
    stagedDuties: ['1.检查责任：依法开展消防监督检查；2.处置责任：对火灾隐患依法责令改正；3.其他责任：法律法规规章规定应当履行的其他责任。'],
    accountabilityCircumstances: ['对发现的火灾隐患不报告、不配合处置，造成严重后果的', '其他依法依规应当追究责任的情形。'],
    exemptions: ['已按规定履行巡查、报告职责，因当事人拒不整改导致事故的', '其他依法依规应当免责的情形。'],
    keywords: ['消防', '火灾隐患', '着火', '消防检查'],
  });
  return items;
}
