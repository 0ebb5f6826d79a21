import type { BodyNames } from '../../modules/lists/item-fields.js';
import type { ListItemModel, ListVersionModel, VersionDiffModel } from '../../modules/lists/list.model.js';
import { versionStatusLabel } from '../../modules/lists/version-status-label.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { Breadcrumb, effectiveRange, KIND_LABEL, SECTION_TITLE, SECTIONS, shortCode } from './list-parts.js';
import { PortalPage } from './portal-frame.js';

/** Field names of versionDiff in Chinese (the item fields' labels, by their diff name). */
export type FieldLabels = ReadonlyMap<string, string>;

/** A version: its facts and its items by part, with downloads and a link to what it changed. */
export function VersionPage({ assets, region, version, previous, items, names, contentHash, today }: {
  assets: WebAssets;
  region: RegionEntity;
  version: ListVersionModel;
  previous: ListVersionModel | null;
  items: ListItemModel[];
  names: BodyNames;
  contentHash: string;
  today: string;
}) {
  const code = shortCode(region);
  const title = `${region.name}${KIND_LABEL[version.kind]} v${version.number}`;
  const groups = version.kind === 'RESPONSIBILITY' ? SECTIONS.map((s) => ({ title: SECTION_TITLE[s], items: items.filter((i) => i.section === s) })) : [{ title: '事项', items }];
  return (
    <PortalPage assets={assets} title={title}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, { href: `/regions/${code}`, label: region.name }, { label: `v${version.number}` }]} />
      <h1>{title}</h1>
      <dl class="fields">
        <dt>状态</dt>
        <dd>{versionStatusLabel(version, today)}</dd>
        <dt>批准文号</dt>
        <dd>{version.approvalDocNumber ?? '—'}</dd>
        <dt>施行日期</dt>
        <dd>{effectiveRange(version)}</dd>
        <dt>调整原因</dt>
        <dd>{version.changeReason ?? '—'}</dd>
        <dt>合法性审查意见</dt>
        <dd>{version.reviewOpinion ?? '—'}</dd>
        <dt>事项数</dt>
        <dd>{items.length}</dd>
        <dt>内容哈希（SHA-256）</dt>
        <dd class="hash">{contentHash}</dd>
      </dl>
      <p class="downloads">
        下载：<a href={`/exports/versions/${version.id}.xlsx`}>Excel（.xlsx）</a> · <a href={`/exports/versions/${version.id}.csv`}>CSV</a>
        {previous ? (
          <>
            {' · '}
            <a href={`/versions/${previous.id}/diff/${version.id}`}>与 v{previous.number} 相比的修改</a>
          </>
        ) : null}
      </p>
      {groups.map((g) => (
        <>
          <h2>
            {g.title}（{g.items.length} 项）
          </h2>
          {g.items.length ? (
            <ul>
              {g.items.map((i) => (
                <li>
                  <a href={`/regions/${code}/items/${encodeURIComponent(i.itemCode)}?asOf=${version.effectiveFrom ?? today}`}>{i.name}</a>
                  <span class="muted small"> · {names.get(i.accountableBodyId) ?? ''}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">（无）</p>
          )}
        </>
      ))}
    </PortalPage>
  );
}

const CHANGE_WORDS = { ADDED: '新增', REMOVED: '删除', CHANGED: '修改' } as const;

/** What changed between two versions of a list, item by item and field by field. */
export function DiffPage({ assets, region, diff, labels, today }: { assets: WebAssets; region: RegionEntity; diff: VersionDiffModel; labels: FieldLabels; today: string }) {
  const { from, to } = diff;
  const code = shortCode(region);
  const title = `${region.name}${KIND_LABEL[to.kind]}：v${from.number} → v${to.number}`;
  const count = (c: keyof typeof CHANGE_WORDS) => diff.changes.filter((x) => x.change === c).length;
  return (
    <PortalPage assets={assets} title={title}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, { href: `/regions/${code}`, label: region.name }, { href: `/versions/${to.id}`, label: `v${to.number}` }, { label: '修改对照' }]} />
      <h1>{title}</h1>
      <p>
        <a href={`/versions/${from.id}`}>v{from.number}</a>（{from.approvalDocNumber}，{effectiveRange(from)}，{versionStatusLabel(from, today)}）→{' '}
        <a href={`/versions/${to.id}`}>v{to.number}</a>（{to.approvalDocNumber}，{effectiveRange(to)}，{versionStatusLabel(to, today)}）
      </p>
      <p>
        新增 {count('ADDED')} 项，修改 {count('CHANGED')} 项，删除 {count('REMOVED')} 项。{to.changeReason ? `调整原因：${to.changeReason}。` : ''}
      </p>
      {diff.changes.length ? null : <p class="notice">两个版本的事项完全相同。</p>}
      {diff.changes.map((c) => (
        <section class="card" id={`item-${c.itemCode}`} aria-labelledby={`h-${c.itemCode}`}>
          <h2 id={`h-${c.itemCode}`}>
            <span class={`change change-${c.change}`}>{CHANGE_WORDS[c.change]}</span> {c.name}
          </h2>
          <p class="small muted">
            {c.itemCode} · <a href={`/regions/${code}/items/${encodeURIComponent(c.itemCode)}`}>事项历史</a>
          </p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${c.name}的修改`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">字段</th>
                  <th scope="col">v{from.number}</th>
                  <th scope="col">v{to.number}</th>
                </tr>
              </thead>
              <tbody>
                {c.fields.map((f) => (
                  <tr>
                    <th scope="row">{labels.get(f.field) ?? f.field}</th>
                    <td>{f.before === null ? <span class="muted">（无）</span> : <del>{f.before}</del>}</td>
                    <td>{f.after === null ? <span class="muted">（无）</span> : <ins>{f.after}</ins>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </PortalPage>
  );
}
