import type { BodyDutiesModel, CountyFindingModel, CountyMatrixModel, FindingKind, MatrixRole } from '../../modules/county-views/county-views.model.js';
import { dutyRole } from '../../modules/county-views/county-sheets.js';
import { LIST_KIND_LABEL, matrixRoleLabel } from '../../modules/county-views/county-views.service.js';
import type { ListKind } from '../../modules/lists/duty-list.entity.js';
import type { WebAssets } from '../web-assets.js';
import { PortalPage } from './portal-frame.js';

const FINDING_TITLES: Record<FindingKind, string> = {
  DUPLICATE_LEAD: '同一乡镇重复牵头',
  RECLAIMED_BY_NON_COUNTY_BODY: '收回主体不是本县部门',
  COOPERATING_BODY_GONE: '配合主体已撤销',
  LIST_PAST_REVIEW: '清单逾期未复核',
};

function Role({ role }: { role: MatrixRole }) {
  return <span class={`role role-${role}`}>{matrixRoleLabel(role)}</span>;
}

/** The date and kind form of the county pages (GET: works without JavaScript). */
function ViewForm({ action, asOf, kind }: { action: string; asOf: string; kind?: ListKind }) {
  return (
    <form class="stack" method="get" action={action}>
      {kind && (
        <div>
          <label for="kind">清单</label>
          <select id="kind" name="kind">
            {(['RESPONSIBILITY', 'POWER'] as const).map((k) => (
              <option value={k} selected={k === kind}>
                {LIST_KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div>
        <label for="asOf">
          日期 <span class="hint">查看这一天现行的清单</span>
        </label>
        <input id="asOf" name="asOf" type="date" value={asOf} />
      </div>
      <div>
        <button type="submit">查看</button>
      </div>
    </form>
  );
}

/** 全县事项矩阵: a row per matter, a column per township, the role in each; inconsistencies under the matter's name. */
export function CountyMatrixPage({ assets, matrix }: { assets: WebAssets; matrix: CountyMatrixModel }) {
  const query = `?kind=${matrix.kind}&asOf=${matrix.asOf}`;
  const flagged = matrix.matters.filter((m) => m.flags.length).length;
  const caption = `${matrix.countyName}${LIST_KIND_LABEL[matrix.kind]}事项矩阵（${matrix.asOf}现行）`;
  return (
    <PortalPage assets={assets} title={`${matrix.countyName}事项矩阵`}>
      <h1>{matrix.countyName}事项矩阵</h1>
      <p>
        同一事项在各乡镇（街道）清单中的处理：由乡镇基本履职（牵头）、配合县级部门、已由上级部门收回，或未列入。
        名称不同的同一事项按名称、法定概念和引用的法律条款归并，也可由县级编辑人工归并或拆分。
      </p>
      <ViewForm action={`/counties/${matrix.countyCode}/matrix`} asOf={matrix.asOf} kind={matrix.kind} />
      <p>
        <a href={`/counties/${matrix.countyCode}/findings?asOf=${matrix.asOf}`}>查看缺漏与交叉</a>
      </p>
      {matrix.townships.length === 0 ? (
        <p class="notice">{matrix.asOf}，{matrix.countyName}没有乡镇（街道）的{LIST_KIND_LABEL[matrix.kind]}现行有效。</p>
      ) : (
        <>
          <p>
            {matrix.townships.length}个乡镇（街道）现行{LIST_KIND_LABEL[matrix.kind]}共{matrix.matters.length}个事项，其中{flagged}个事项各乡镇不一致。
          </p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
            <table class="matrix">
              <caption class="small muted">{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">事项</th>
                  {matrix.townships.map((t) => (
                    <th scope="col">
                      {t.name}
                      <br />
                      <span class="small muted">
                        第{t.versionNumber}版 {t.approvalDocNumber}
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {matrix.matters.map((m) => (
                  <tr id={`matter-${encodeURIComponent(m.id)}`}>
                    <th scope="row">
                      {m.name}
                      {m.flags.length > 0 && (
                        <ul class="flags">
                          {m.flags.map((f) => (
                            <li>{f.message}</li>
                          ))}
                        </ul>
                      )}
                    </th>
                    {m.cells.map((c) => (
                      <td class={`cell-${c.role}`}>
                        <Role role={c.role} />
                        {c.accountableBody && (
                          <>
                            <br />
                            <a href={`/departments/${c.accountableBody.id}?asOf=${matrix.asOf}`}>{c.accountableBody.name}</a>
                            <br />
                            <span class="small muted">
                              {c.itemCode}
                              {c.itemCount > 1 ? `（另有${c.itemCount - 1}项）` : ''}
                            </span>
                          </>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p class="downloads">
        下载：<a href={`/exports/counties/${matrix.countyCode}/matrix.xlsx${query}`}>Excel（.xlsx）</a> · 订阅发布动态：
        <a href={`/feeds/regions/${matrix.countyCode}.atom`}>Atom</a>
      </p>
    </PortalPage>
  );
}

/** 缺漏与交叉: the county's findings, grouped by kind. */
export function CountyFindingsPage({ assets, county, asOf, findings }: { assets: WebAssets; county: { code: string; name: string }; asOf: string; findings: CountyFindingModel[] }) {
  const kinds = Object.keys(FINDING_TITLES) as FindingKind[];
  return (
    <PortalPage assets={assets} title={`${county.name}清单缺漏与交叉`}>
      <h1>{county.name}清单缺漏与交叉</h1>
      <p>对照各乡镇（街道）现行的权力清单和责任清单，列出需要县级核实、在下次调整时纠正的问题。</p>
      <ViewForm action={`/counties/${county.code}/findings`} asOf={asOf} />
      <p>
        <a href={`/counties/${county.code}/matrix?asOf=${asOf}`}>查看事项矩阵</a>
      </p>
      {findings.length === 0 ? (
        <p class="notice ok">{asOf}现行的清单中没有发现问题。</p>
      ) : (
        <p>共发现{findings.length}个问题。</p>
      )}
      {kinds.map((kind) => {
        const of = findings.filter((f) => f.kind === kind);
        return (
          <section>
            <h2>
              {FINDING_TITLES[kind]}（{of.length}）
            </h2>
            {of.length === 0 ? (
              <p class="muted">无。</p>
            ) : (
              <ul>
                {of.map((f) => (
                  <li>{f.message}</li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </PortalPage>
  );
}

/** 部门履职事项清单: a department's items across the county, what it took back first. */
export function BodyDutiesPage({ assets, duties }: { assets: WebAssets; duties: BodyDutiesModel }) {
  const { body, asOf } = duties;
  const groups: { title: string; rows: BodyDutiesModel['duties'] }[] = [
    { title: '已收回、由本部门实施的事项', rows: duties.duties.filter((d) => d.relation === 'ACCOUNTABLE' && d.townshipRole === 'RECLAIMED') },
    { title: '由本部门牵头、乡镇配合的事项', rows: duties.duties.filter((d) => d.relation === 'ACCOUNTABLE' && d.townshipRole !== 'RECLAIMED') },
    { title: '本部门配合的事项', rows: duties.duties.filter((d) => d.relation === 'COOPERATING') },
  ];
  return (
    <PortalPage assets={assets} title={`${body.name}履职事项清单`}>
      <h1>{body.name}履职事项清单</h1>
      <p>
        {asOf}各乡镇（街道）现行清单中，{body.name}作为责任主体的事项{duties.accountableCount}项（其中已收回{duties.reclaimedCount}项），
        作为配合主体的事项{duties.cooperatingCount}项。
      </p>
      <ViewForm action={`/departments/${body.id}`} asOf={asOf} />
      {groups.map((g) => (
        <section>
          <h2>
            {g.title}（{g.rows.length}）
          </h2>
          {g.rows.length === 0 ? (
            <p class="muted">无。</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label={g.title}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">乡镇（街道）</th>
                    <th scope="col">事项</th>
                    <th scope="col">本部门</th>
                    <th scope="col">乡镇职责</th>
                  </tr>
                </thead>
                <tbody>
                  {g.rows.map((d) => (
                    <tr>
                      <td>{d.townshipName}</td>
                      <td>
                        {d.itemName}
                        <br />
                        <span class="small muted">
                          {LIST_KIND_LABEL[d.listKind]} {d.itemCode}
                        </span>
                      </td>
                      <td>
                        {dutyRole(d)}
                        {d.cooperatingDuty && (
                          <>
                            ：{d.cooperatingDuty}
                            <br />
                            <span class="small muted">责任主体：{d.accountableBody.name}</span>
                          </>
                        )}
                      </td>
                      <td>{d.townshipDuty ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      <p class="downloads">
        下载：<a href={`/exports/bodies/${body.id}/duties.xlsx?asOf=${asOf}`}>Excel（.xlsx）</a>
      </p>
    </PortalPage>
  );
}
