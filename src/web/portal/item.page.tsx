import type { BodyNames } from '../../modules/lists/item-fields.js';
import type { CitationModel, ItemHistoryModel, ItemStateModel, ListVersionModel } from '../../modules/lists/list.model.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { AllFields, Breadcrumb, effectiveRange, KIND_LABEL, RoleBadge, shortCode, VersionLine } from './list-parts.js';
import { PortalPage } from './portal-frame.js';

export interface ItemView {
  region: RegionEntity;
  history: ItemHistoryModel;
  /** The version asked about (in force on asOf), and the item's state in it; null when the item is not in it. */
  version: ListVersionModel | null;
  state: ItemStateModel | null;
  /** The latest state, shown when the item is not in the version asked about (removed, or not yet listed). */
  shown: ItemStateModel;
  asOf: string;
  names: BodyNames;
  citations: CitationModel[];
}

const byNumber = (h: ItemHistoryModel, n: number) => h.versions.find((v) => v.number === n) ?? null;

/** One item: every field, and its history across the versions of its list. */
export function ItemPage({ assets, view, today }: { assets: WebAssets; view: ItemView; today: string }) {
  const { region, history, version, state, shown, asOf, names, citations } = view;
  const code = shortCode(region);
  const item = shown.item;
  const shownVersion = byNumber(history, state ? state.fromVersion : shown.fromVersion);
  const lastRemoved = !state && shown.toVersion !== null ? byNumber(history, shown.toVersion) : null;
  return (
    <PortalPage assets={assets} title={`${item.name} · ${region.name}`}>
      <Breadcrumb links={[{ href: '/', label: '首页' }, { href: `/regions/${code}`, label: region.name }, { label: item.name }]} />
      <h1>{item.name}</h1>
      <p>
        <RoleBadge role={item.townshipRole} accountable={names.get(item.accountableBodyId) ?? ''} /> <span class="muted">{region.name} · {KIND_LABEL[history.kind]}</span>
      </p>
      {state && version ? (
        <p class="small muted">
          {asOf} 现行：<VersionLine version={version} today={today} />
        </p>
      ) : lastRemoved ? (
        <p class="notice warn">
          该事项已从清单中删除：<a href={`/versions/${lastRemoved.id}`}>v{lastRemoved.number}</a>（批准文号 {lastRemoved.approvalDocNumber}，{lastRemoved.effectiveFrom} 起施行）不再列入。以下是删除前的内容。
        </p>
      ) : (
        <p class="notice warn">{asOf} 现行有效的清单中没有该事项。以下是该事项最近一次列入清单时的内容。</p>
      )}
      {state ? (
        <p class="no-print">
          <a class="button secondary" href={`/regions/${code}/items/${encodeURIComponent(item.itemCode)}/proof?asOf=${asOf}`}>
            打印证明
          </a>
        </p>
      ) : null}
      <AllFields item={item} kind={history.kind} names={names} citations={citations} />
      {shownVersion ? <p class="small muted">以上内容出自 v{shownVersion.number}（{effectiveRange(shownVersion)}）。</p> : null}
      <h2 id="history">历史</h2>
      <ol class="plain">
        {history.states.map((s, i) => {
          const from = byNumber(history, s.fromVersion);
          const to = s.toVersion === null ? null : byNumber(history, s.toVersion);
          const before = from ? history.versions.find((v) => v.number === s.fromVersion - 1) : null;
          const next = history.states[i + 1];
          return (
            <li class="card">
              <strong>
                {from ? <a href={`/versions/${from.id}`}>v{s.fromVersion}</a> : `v${s.fromVersion}`}
                {i === 0 ? ' 列入清单' : ' 修改'}
              </strong>
              {from ? `（${from.effectiveFrom} 起施行，批准文号 ${from.approvalDocNumber}）` : ''}
              {before && i > 0 ? (
                <>
                  {' · '}
                  <a href={`/versions/${before.id}/diff/${from!.id}#item-${s.item.itemCode}`}>查看修改内容</a>
                </>
              ) : null}
              {to && (!next || next.fromVersion !== s.toVersion) ? (
                <div>
                  <a href={`/versions/${to.id}`}>v{to.number}</a> 起删除（{to.effectiveFrom} 起施行）
                  {' · '}
                  {before || from ? <a href={`/versions/${from!.id}/diff/${to.id}#item-${s.item.itemCode}`}>查看删除</a> : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </PortalPage>
  );
}
