import type { BurdenLedgerModel } from '../../modules/admission/admission.model.js';
import { ledgerTable, percent, periodLabel, VERDICT_COLUMNS } from '../../modules/admission/ledger-table.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import type { WebAssets } from '../web-assets.js';
import { PortalPage } from './portal-frame.js';
import { VerdictChart } from './ledger-chart.js';

/** The query string of the ledger's period, for the download links. */
const periodQuery = (from: string | null, to: string | null) => {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const s = q.toString();
  return s ? `?${s}` : '';
};

/**
 * 减负台账: what each county department sent to the townships of a region, how the lists judged
 * it, and the burden its requirements carry — a chart drawn on the server and the same numbers
 * in a table, with CSV and xlsx downloads. Public: counts and department names only.
 */
export function LedgerPage({ assets, region, ledger }: { assets: WebAssets; region: RegionEntity; ledger: BurdenLedgerModel }) {
  const table = ledgerTable(ledger);
  const { total } = ledger;
  const period = periodLabel(ledger.from, ledger.to);
  const download = (ext: string) => `/exports/burden-ledger/${ledger.regionCode}.${ext}${periodQuery(ledger.from, ledger.to)}`;
  return (
    <PortalPage assets={assets} title={`${region.name}减负台账`}>
      <h1>{region.name}减负台账</h1>
      <p>
        县级部门要求乡镇（街道）承担的任务，都要对照乡镇现行的履行职责事项清单进行职责准入：清单内的按清单办理，
        已由上级部门收回的不得再交给乡镇，清单外的须经县级审核准入。本台账按提交日期统计各部门派发的任务、判定结果和报送负担。
      </p>
      <form class="stack" method="get" action={`/ledger/${ledger.regionCode}`}>
        <div>
          <label for="from">
            起始日期 <span class="hint">可不填</span>
          </label>
          <input id="from" name="from" type="date" value={ledger.from ?? ''} />
        </div>
        <div>
          <label for="to">
            截止日期 <span class="hint">可不填</span>
          </label>
          <input id="to" name="to" type="date" value={ledger.to ?? ''} />
        </div>
        <div>
          <button type="submit">查看</button>
        </div>
      </form>
      <h2>{period}</h2>
      {total.requests === 0 ? (
        <p class="notice">该时段内没有部门向{region.name}的乡镇（街道）派发任务。</p>
      ) : (
        <>
          <p>
            共 {ledger.departments.length} 个部门派发任务 {total.requests} 项，涉及乡镇（街道）{total.townshipsReached} 个、{total.targets} 乡镇次；
            其中清单外 {total.verdicts.notInList} 乡镇次（{percent(total.shareOutsideLists)}），已收回事项 {total.verdicts.reclaimed} 乡镇次；
            县级不予准入 {total.declined} 项（{percent(total.shareDeclined)}）。按报送要求，乡镇每月约需报送 {total.reportingEventsPerMonth} 次。
          </p>
          <figure class="ledger-figure">
            <VerdictChart rows={ledger.departments} />
            <figcaption class="small muted">每条横条为一个部门派发任务涉及的乡镇次数，按判定结果分色；具体数字见下表。</figcaption>
          </figure>
          <LedgerTablePart caption={`各部门派发任务及判定结果（${period}）`} headers={table.headers} rows={table.rows} columns={(i) => i < VERDICT_COLUMNS} />
          <h3>报送负担</h3>
          <p class="small muted">各部门任务的报送要求中带有下列负担的任务数。</p>
          <LedgerTablePart caption={`各部门任务的报送负担（${period}）`} headers={table.headers} rows={table.rows} columns={(i) => i === 0 || i >= VERDICT_COLUMNS} />
        </>
      )}
      <p class="downloads">
        下载：<a href={download('xlsx')}>Excel（.xlsx）</a> · <a href={download('csv')}>CSV</a>
      </p>
      <h2>怎么读这张表</h2>
      <dl class="fields">
        <dt>基本履职</dt>
        <dd>任务属于乡镇清单中的基本履职事项，是乡镇自己的职责。</dd>
        <dt>配合履职</dt>
        <dd>乡镇只承担配合职责，由清单所列的县级部门牵头。</dd>
        <dt>已收回</dt>
        <dd>事项已由上级部门收回，不得再交由乡镇承担。</dd>
        <dt>清单外</dt>
        <dd>乡镇现行清单中没有这项职责，须经县级审核准入。</dd>
        <dt>每月报送次数</dt>
        <dd>按各任务的报送频次（每天约30次、每周约4次、每月1次，一次性不计）乘以涉及的乡镇数合计。</dd>
      </dl>
    </PortalPage>
  );
}

/** Some columns of the ledger's table (the department's name always first, as the row header). */
function LedgerTablePart({ caption, headers, rows, columns }: { caption: string; headers: string[]; rows: string[][]; columns: (index: number) => boolean }) {
  const pick = <T,>(cells: T[]) => cells.filter((_, i) => columns(i));
  return (
    // Focusable and named: a keyboard can scroll a table wider than the screen.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="ledger">
        <caption class="small muted">{caption}</caption>
        <thead>
          <tr>
            {pick(headers).map((h, i) => (
              <th scope="col" class={i > 0 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {pick(row).map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td class="num">{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
