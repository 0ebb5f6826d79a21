import type { AccountabilityResultModel } from '../../modules/accountability/accountability.model.js';
import type { BodyNames } from '../../modules/lists/item-fields.js';
import type { CitationModel, ListItemModel, ListVersionModel } from '../../modules/lists/list.model.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { Bodies, Citations, effectiveRange, KIND_LABEL, RoleBadge, SECTION_TITLE, shortCode } from './list-parts.js';
import { PortalPage } from './portal-frame.js';

/** What lets a reader check a printed page: where it lives, the version's hash, the audit head, when it was printed. */
export interface Verification {
  url: string;
  /** The URL as a QR code, an SVG data URL drawn on the server. */
  qr: string;
  printedAt: string;
  auditHead: { seq: number; hash: string | null };
}

function VerifyBlock({ v, hashes }: { v: Verification; hashes: { label: string; hash: string }[] }) {
  return (
    <section class="verify" aria-labelledby="verify-title">
      <h2 id="verify-title">核验信息</h2>
      <div class="verify-grid">
        <img class="qr" src={v.qr} width={132} height={132} alt={`二维码：${v.url}`} />
        <dl class="fields">
          <dt>网址</dt>
          <dd class="hash">{v.url}</dd>
          {hashes.map((h) => (
            <>
              <dt>{h.label}</dt>
              <dd class="hash">{h.hash}</dd>
            </>
          ))}
          <dt>审计链当前头部</dt>
          <dd class="hash">
            第 {v.auditHead.seq} 条 · {v.auditHead.hash ?? '—'}
          </dd>
          <dt>打印时间</dt>
          <dd>{v.printedAt}</dd>
        </dl>
      </div>
      <p class="small muted">
        扫描二维码或打开上述网址可查看同一页面；清单版本的内容哈希由已发布的清单内容计算，任何改动都会使其改变；审计链头部可与登记机关公布的头部哈希核对。
      </p>
    </section>
  );
}

/** A printable proof for one item: township, item, role, basis with article text, version, 批准文号, dates and how to verify it. */
export function ProofPage({ assets, region, item, version, names, citations, contentHash, verification }: {
  assets: WebAssets;
  region: RegionEntity;
  item: ListItemModel;
  version: ListVersionModel;
  names: BodyNames;
  citations: CitationModel[];
  contentHash: string;
  verification: Verification;
}) {
  return (
    <PortalPage assets={assets} title={`证明：${item.name} · ${region.name}`}>
      <article class="proof">
        <p class="no-print">
          <a href={`/regions/${shortCode(region)}/items/${encodeURIComponent(item.itemCode)}`}>返回事项</a> · 使用浏览器的“打印”功能打印本页（A4）。
        </p>
        <h1>权责清单事项证明</h1>
        <p>
          根据{region.name}已发布的{KIND_LABEL[version.kind]}，下列事项的职责归属如下：
        </p>
        <dl class="fields">
          <dt>乡镇（街道）</dt>
          <dd>{region.name}（{region.code}）</dd>
          <dt>事项</dt>
          <dd>
            {item.name}（{item.itemCode}）{item.section ? `，${SECTION_TITLE[item.section]}` : ''}
          </dd>
          <dt>本镇职责</dt>
          <dd>
            <RoleBadge role={item.townshipRole} accountable={names.get(item.accountableBodyId) ?? ''} />
          </dd>
          {item.description ? (
            <>
              <dt>事项描述</dt>
              <dd>{item.description}</dd>
            </>
          ) : null}
        </dl>
        <Bodies item={item} names={names} />
        <h2>法律依据</h2>
        <Citations citations={citations} />
        <h2>清单版本</h2>
        <dl class="fields">
          <dt>版本</dt>
          <dd>
            {KIND_LABEL[version.kind]} v{version.number}
          </dd>
          <dt>批准文号</dt>
          <dd>{version.approvalDocNumber}</dd>
          <dt>施行日期</dt>
          <dd>{effectiveRange(version)}</dd>
        </dl>
        <VerifyBlock v={verification} hashes={[{ label: `v${version.number} 内容哈希（SHA-256）`, hash: contentHash }]} />
      </article>
    </PortalPage>
  );
}

/** "Not in the list": as of a date, the published lists of a township hold no item matching the question. */
export function StatementPage({ assets, region, result, versions, hashes, verification }: {
  assets: WebAssets;
  region: RegionEntity;
  result: AccountabilityResultModel;
  versions: ListVersionModel[];
  hashes: Map<string, string>;
  verification: Verification;
}) {
  const answered = result.answers.length > 0;
  return (
    <PortalPage assets={assets} title={`清单核查说明 · ${region.name}`}>
      <article class="proof">
        <p class="no-print">使用浏览器的“打印”功能打印本页（A4）。</p>
        <h1>{answered ? '清单核查结果' : '清单中无此事项的说明'}</h1>
        <dl class="fields">
          <dt>地区</dt>
          <dd>
            {region.name}（{region.code}）
          </dd>
          <dt>所查事项</dt>
          <dd>{result.question}</dd>
          <dt>核查日期</dt>
          <dd>{result.asOf}</dd>
        </dl>
        {answered ? (
          <p class="notice">
            {region.name}在 {result.asOf} 现行有效的清单中有与此相符的事项，不能出具“清单中无此事项”的说明：
            {result.answers.map((a) => a.item.name).join('、')}。
          </p>
        ) : result.emptyReason === 'NO_LIST_IN_FORCE' ? (
          <p class="notice">
            <strong>截至 {result.asOf}，{region.name}没有现行有效的已发布清单。</strong>
          </p>
        ) : (
          <p class="notice">
            <strong>
              截至 {result.asOf}，{region.name}现行有效的已发布清单中，没有与“{result.question}”相符的事项。
            </strong>
            {result.emptyReason === 'REMOVED_IN_VERSION' && result.removedIn && result.removedItem
              ? `相近的“${result.removedItem.name}”已由 v${result.removedIn.number}（批准文号 ${result.removedIn.approvalDocNumber}，${result.removedIn.effectiveFrom} 起施行）从清单中删除。`
              : ''}
          </p>
        )}
        <h2>核查的清单版本</h2>
        {versions.length ? (
          <ul>
            {versions.map((v) => (
              <li>
                {KIND_LABEL[v.kind]} v{v.number} · 批准文号 {v.approvalDocNumber} · {effectiveRange(v)}
                <div class="hash">内容哈希 {hashes.get(v.id)}</div>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">（无）</p>
        )}
        <p class="small muted">核查方式：以日常用语检索上述版本全部事项的名称、描述、职责、依据和关键词。</p>
        <VerifyBlock v={verification} hashes={[]} />
      </article>
    </PortalPage>
  );
}
