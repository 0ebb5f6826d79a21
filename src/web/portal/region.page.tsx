import type { ListKind } from '../../modules/lists/duty-list.entity.js';
import type { BodyNames } from '../../modules/lists/item-fields.js';
import type { ListItemModel, ListVersionModel } from '../../modules/lists/list.model.js';
import { versionStatusLabel } from '../../modules/lists/version-status-label.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { Breadcrumb, effectiveRange, KIND_LABEL, SECTION_TITLE, SECTIONS, shortCode } from './list-parts.js';
import { PortalPage } from './portal-frame.js';

export interface TownshipList {
  kind: ListKind;
  /** Newest first. */
  history: ListVersionModel[];
  inForce: ListVersionModel | null;
  items: ListItemModel[];
}

const KINDS: ListKind[] = ['RESPONSIBILITY', 'POWER'];

/** A township: its lists in force by part with counts, version, 批准文号, dates, downloads and history. */
export function TownshipPage({ assets, region, county, lists, names, today }: {
  assets: WebAssets;
  region: RegionEntity;
  county: RegionEntity | null;
  lists: TownshipList[];
  names: BodyNames;
  today: string;
}) {
  const code = shortCode(region);
  return (
    <PortalPage assets={assets} title={region.name}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, ...(county ? [{ href: `/regions/${shortCode(county)}`, label: county.name }] : []), { label: region.name }]} />
      <h1>{region.name}的权责清单</h1>
      <form class="stack no-print" method="get" action="/ask" role="search">
        <input type="hidden" name="region" value={code} />
        <div>
          <label for="q">在{region.name}的清单中查询：什么事</label>
          <input id="q" name="q" type="search" required maxLength={200} />
        </div>
        <div>
          <button type="submit">查询</button>
        </div>
      </form>
      {lists.every((l) => !l.history.length) ? <p class="notice warn">{region.name}尚未发布清单。</p> : null}
      {KINDS.map((kind) => {
        const list = lists.find((l) => l.kind === kind);
        if (!list || !list.history.length) return null;
        const v = list.inForce;
        return (
          <section aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>{KIND_LABEL[kind]}</h2>
            {v ? (
              <>
                <p>
                  现行版本 <a href={`/versions/${v.id}`}>v{v.number}</a> · 批准文号 {v.approvalDocNumber} · {effectiveRange(v)} · {versionStatusLabel(v, today)} · 共 {list.items.length} 项
                </p>
                <p class="downloads">
                  下载：<a href={`/exports/versions/${v.id}.xlsx`}>Excel（.xlsx）</a> · <a href={`/exports/versions/${v.id}.csv`}>CSV</a>
                </p>
                {kind === 'RESPONSIBILITY' ? (
                  SECTIONS.map((section) => {
                    const items = list.items.filter((i) => i.section === section);
                    return (
                      <>
                        <h3>
                          {SECTION_TITLE[section]}（{items.length} 项）
                        </h3>
                        <ItemTable code={code} items={items} names={names} lead={section === 'BASIC' ? '责任主体' : section === 'COOPERATIVE' ? '牵头部门' : '收回部门'} />
                      </>
                    );
                  })
                ) : (
                  <ItemTable code={code} items={list.items} names={names} lead="实施主体" />
                )}
              </>
            ) : (
              <p class="notice warn">今天（{today}）没有现行有效的版本。</p>
            )}
            <h3>历史版本</h3>
            <ul class="plain">
              {list.history.map((h, i) => {
                const older = list.history[i + 1];
                return (
                  <li>
                    <a href={`/versions/${h.id}`}>v{h.number}</a> · 批准文号 {h.approvalDocNumber} · {effectiveRange(h)} · {versionStatusLabel(h, today)}
                    {older ? (
                      <>
                        {' · '}
                        <a href={`/versions/${older.id}/diff/${h.id}`}>与 v{older.number} 比较</a>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </PortalPage>
  );
}

function ItemTable({ code, items, names, lead }: { code: string; items: ListItemModel[]; names: BodyNames; lead: string }) {
  if (!items.length) return <p class="muted">（无）</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={`事项（${items.length} 项）`}>
      <table>
        <thead>
          <tr>
            <th scope="col">编码</th>
            <th scope="col">事项名称</th>
            <th scope="col">{lead}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <td class="small">{i.itemCode}</td>
              <td>
                <a href={`/regions/${code}/items/${encodeURIComponent(i.itemCode)}`}>{i.name}</a>
              </td>
              <td>{names.get(i.accountableBodyId) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface TownshipStatus {
  region: RegionEntity;
  inForce: ListVersionModel[];
}

/** A county: its townships and whether each has lists in force today. */
export function CountyPage({ assets, region, townships, today }: { assets: WebAssets; region: RegionEntity; townships: TownshipStatus[]; today: string }) {
  const withLists = townships.filter((t) => t.inForce.length).length;
  return (
    <PortalPage assets={assets} title={region.name}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, { label: region.name }]} />
      <h1>{region.name}各乡镇（街道）的权责清单</h1>
      <p>
        共 {townships.length} 个乡镇（街道），其中 {withLists} 个今天（{today}）有现行有效的清单。 <a href={`/ledger/${shortCode(region)}`}>减负台账</a>
      </p>
      <form class="stack no-print" method="get" action="/ask" role="search">
        <input type="hidden" name="region" value={shortCode(region)} />
        <div>
          <label for="q">在{region.name}各乡镇的清单中查询：什么事</label>
          <input id="q" name="q" type="search" required maxLength={200} />
        </div>
        <div>
          <button type="submit">查询</button>
        </div>
      </form>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="乡镇（街道）及清单状态">
        <table>
          <thead>
            <tr>
              <th scope="col">乡镇（街道）</th>
              <th scope="col">现行清单</th>
            </tr>
          </thead>
          <tbody>
            {townships.map((t) => (
              <tr>
                <th scope="row">
                  <a href={`/regions/${shortCode(t.region)}`}>{t.region.name}</a>
                </th>
                <td>
                  {t.inForce.length ? (
                    <ul class="plain">
                      {t.inForce.map((v) => (
                        <li>
                          <a href={`/versions/${v.id}`}>
                            {KIND_LABEL[v.kind]} v{v.number}
                          </a>
                          {` · ${v.approvalDocNumber} · ${v.effectiveFrom} 起施行 · ${versionStatusLabel(v, today)}`}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span class="muted">尚无现行清单</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PortalPage>
  );
}
