import type { ComponentChildren } from 'preact';
import { belongsTo, CONTENT_FIELDS, SECTION_LABEL, type BodyNames } from '../../modules/lists/item-fields.js';
import type { ListKind } from '../../modules/lists/duty-list.entity.js';
import type { ListSection, TownshipRole } from '../../modules/lists/list-item.entity.js';
import type { CitationModel, ListItemModel, ListVersionModel } from '../../modules/lists/list.model.js';
import { versionStatusLabel } from '../../modules/lists/version-status-label.js';

/** Pieces the portal's list pages share: role words, a version's line, citations with article text, an item's fields. */

export const KIND_LABEL: Record<ListKind, string> = { RESPONSIBILITY: '责任清单（履行职责事项清单）', POWER: '权力清单' };
export const SECTIONS: ListSection[] = ['BASIC', 'COOPERATIVE', 'RECLAIMED'];
export const SECTION_TITLE: Record<ListSection, string> = { BASIC: '基本履职事项', COOPERATIVE: '配合履职事项', RECLAIMED: '上级部门收回事项' };

/** The township's role in plain words (本镇牵头负责 / 本镇配合，牵头单位是… / 已由上级部门收回). */
export function roleWords(role: TownshipRole, accountable: string): string {
  switch (role) {
    case 'LEAD':
      return '本镇牵头负责';
    case 'COOPERATE':
      return `本镇配合，牵头单位是${accountable}`;
    case 'RECLAIMED':
      return `已由上级部门收回（${accountable}）`;
    default:
      return '本镇不承担职责';
  }
}

export function RoleBadge({ role, accountable }: { role: TownshipRole; accountable: string }) {
  return <span class={`role role-${role}`}>{roleWords(role, accountable)}</span>;
}

/** "v2 · 宜政发〔2026〕31号 · 2026-07-01 起施行 · 现行有效" with a link to the version. */
export function VersionLine({ version, today, link = true }: { version: ListVersionModel; today: string; link?: boolean }) {
  const label = `v${version.number}`;
  return (
    <>
      {link ? <a href={`/versions/${version.id}`}>{`${KIND_LABEL[version.kind]} ${label}`}</a> : `${KIND_LABEL[version.kind]} ${label}`}
      {` · 批准文号 ${version.approvalDocNumber ?? '—'} · ${effectiveRange(version)} · ${versionStatusLabel(version, today)}`}
    </>
  );
}

export const effectiveRange = (v: Pick<ListVersionModel, 'effectiveFrom' | 'effectiveTo'>) =>
  v.effectiveFrom ? `${v.effectiveFrom} 起施行${v.effectiveTo ? `，${v.effectiveTo} 起停止施行` : ''}` : '未发布';

/** Legal bases, each with its article text where the catalogue has it. */
export function Citations({ citations }: { citations: CitationModel[] }) {
  if (!citations.length) return <p class="muted">（清单未列依据）</p>;
  return (
    <ul class="plain">
      {citations.map((c) => (
        <li>
          <strong>{c.resolved ? c.label : c.raw}</strong>
          {c.text ? <div class="citation-text">{c.text}</div> : <div class="citation-text">（条文内容暂未收录）</div>}
        </li>
      ))}
    </ul>
  );
}

/** Accountable and cooperating bodies, their duties, and the village duty of an item. */
export function Bodies({ item, names }: { item: ListItemModel; names: BodyNames }) {
  return (
    <dl class="fields">
      <dt>{item.townshipRole === 'LEAD' ? '责任主体' : item.townshipRole === 'RECLAIMED' ? '收回部门' : '牵头单位'}</dt>
      <dd>{names.get(item.accountableBodyId) ?? '—'}</dd>
      {item.leadDuty ? (
        <>
          <dt>上级部门职责</dt>
          <dd>{item.leadDuty}</dd>
        </>
      ) : null}
      {item.townshipDuty ? (
        <>
          <dt>{item.townshipRole === 'COOPERATE' ? '本镇配合职责' : '乡镇职责'}</dt>
          <dd>{item.townshipDuty}</dd>
        </>
      ) : null}
      {item.cooperating.length ? (
        <>
          <dt>配合部门及职责</dt>
          <dd>
            <ul class="plain">
              {item.cooperating.map((c) => (
                <li>
                  <strong>{names.get(c.bodyId) ?? '—'}</strong>：{c.duty}
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
      <dt>村级职责</dt>
      <dd>{item.villageDuty ?? '（未列）'}</dd>
    </dl>
  );
}

/** Every field of an item that belongs to its kind and section, as the item fields describe it. */
export function AllFields({ item, kind, names, citations }: { item: ListItemModel; kind: ListKind; names: BodyNames; citations: CitationModel[] }) {
  const rows: ComponentChildren[] = [];
  for (const f of CONTENT_FIELDS) {
    if (!belongsTo(f, kind, item.section)) continue;
    if (f.key === 'legalBasis') {
      rows.push(
        <>
          <dt>{f.label}</dt>
          <dd>
            <Citations citations={citations} />
          </dd>
        </>,
      );
      continue;
    }
    if (f.key === 'townshipRole') {
      rows.push(
        <>
          <dt>{f.label}</dt>
          <dd>
            <RoleBadge role={item.townshipRole} accountable={names.get(item.accountableBodyId) ?? ''} />
          </dd>
        </>,
      );
      continue;
    }
    const text = f.codec.describe((item as unknown as Record<string, unknown>)[f.key], names, { citations });
    rows.push(
      <>
        <dt>{f.label}</dt>
        <dd>{text ?? '—'}</dd>
      </>,
    );
  }
  return (
    <dl class="fields">
      <dt>事项编码</dt>
      <dd>{item.itemCode}</dd>
      {rows}
    </dl>
  );
}

export const sectionOf = (i: Pick<ListItemModel, 'section'>) => (i.section ? SECTION_LABEL[i.section] : '');

/** Body ids an item names (accountable and cooperating). */
export const bodyIdsOfItems = (items: ListItemModel[]) => [...new Set(items.flatMap((i) => [i.accountableBodyId, ...i.cooperating.map((c) => c.bodyId)]))];

export function Breadcrumb({ links }: { links: { href?: string; label: string }[] }) {
  return (
    <nav class="breadcrumb no-print" aria-label="当前位置">
      {links.map((l, i) => (
        <>
          {i > 0 ? ' › ' : ''}
          {l.href ? <a href={l.href}>{l.label}</a> : <span>{l.label}</span>}
        </>
      ))}
    </nav>
  );
}

/** The short code of a county (6 digits) or township (9 digits) used in the portal's URLs. */
export const shortCode = (r: { code: string; level: string }) => (r.level === 'COUNTY' ? r.code.slice(0, 6) : r.level === 'TOWNSHIP' ? r.code.slice(0, 9) : r.code);
