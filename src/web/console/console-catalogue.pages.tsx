import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import type { CatalogueImportReport } from '../../modules/basis-alerts/catalogue-import.service.js';
import { clauseLabel } from '../../modules/legal/crosswalk.js';
import type { InstrumentVersionEntity } from '../../modules/legal/instrument-version.entity.js';
import type { LegalInstrumentEntity } from '../../modules/legal/legal-instrument.entity.js';
import type { ProvisionCrosswalkEntity } from '../../modules/legal/provision-crosswalk.entity.js';
import type { ProvisionEntity } from '../../modules/legal/provision.entity.js';
import { ConsolePage, Csrf, Flash, FormError, ProblemTable, UploadFields, type ConsoleView, type FormErrors } from './console-frame.js';

/** 变化 of a crosswalk row, as the catalogue files write it. */
const CHANGE_LABEL: Record<string, string> = { MOVED: '移动', MERGED: '合并', SPLIT: '拆分', DELETED: '删除' };

export interface InstrumentSummary {
  instrument: LegalInstrumentEntity;
  versions: InstrumentVersionEntity[];
  successor: LegalInstrumentEntity | null;
}

export const instrumentHref = (i: { id: string }) => `/console/catalogue/${i.id}`;

/** 废止 with its date and successor, or nothing. */
function Repealed({ instrument, successor }: { instrument: LegalInstrumentEntity; successor: LegalInstrumentEntity | null }) {
  if (!instrument.repealedOn) return null;
  return (
    <span>
      {instrument.repealedOn} 起废止
      {successor && (
        <>
          ，由<a href={instrumentHref(successor)}>《{successor.title}》</a>替代
        </>
      )}
    </span>
  );
}

export function CataloguePage({
  view,
  search,
  instruments,
  more,
  report,
  errors,
  done,
}: {
  view: ConsoleView;
  search: string;
  instruments: InstrumentSummary[];
  more: boolean;
  report?: CatalogueImportReport | null;
  errors?: FormErrors;
  done?: string;
}) {
  const manage = can(view.actor as Actor, Permission.MANAGE_CATALOGUE);
  return (
    <ConsolePage view={view} title="法规目录">
      <h1>法规目录</h1>
      <Flash done={done} />
      <p class="muted">清单引用的法律法规：各施行版本、收录的条款及条文、版本之间的条文对照。引用据此解析；法规修改、重新编号或废止时，引用它的事项会出现依据变更提醒。</p>
      <form class="stack" method="get" action="/console/catalogue" role="search">
        <div>
          <label for="catalogue-search">法规名称或简称</label>
          <input id="catalogue-search" name="q" type="search" value={search} maxLength={100} />
        </div>
        <div>
          <button type="submit" class="secondary">查找</button>
        </div>
      </form>
      {manage && (
        <section class="card" aria-labelledby="import-catalogue">
          <h2 id="import-catalogue">导入法规目录</h2>
          <p class="small muted">
            .csv 或 .xlsx：条文表（法规名称、简称、位阶、制定机关、文号、施行日期、条款、条文）、条文对照表（法规名称、原施行日期、原条款、新施行日期、新条款、变化、来源、核实）、废止表（法规名称、废止日期、替代法规）——三个 CSV 文件，或一个工作簿的三个工作表。全部无误才写入；写入后重新解析各清单的引用，重新查找依据变更提醒。
          </p>
          <FormError errors={errors} fields={['file']} />
          <form class="stack" method="post" action="/console/catalogue/import" enctype="multipart/form-data" data-progress>
            <Csrf view={view} />
            <UploadFields id="catalogue-file" label="法规目录文件" hint="最多3个文件" errors={errors} multiple />
          </form>
          {report && <CatalogueImportResult report={report} />}
        </section>
      )}
      {instruments.length === 0 ? (
        <p class="notice">{search ? `没有名称或简称包含“${search}”的法规。` : '法规目录是空的。'}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="法规列表">
          <table>
            <thead>
              <tr>
                <th scope="col">法规</th>
                <th scope="col">位阶</th>
                <th scope="col">制定机关</th>
                <th scope="col">版本（施行日期）</th>
                <th scope="col">废止</th>
              </tr>
            </thead>
            <tbody>
              {instruments.map(({ instrument, versions, successor }) => (
                <tr>
                  <td>
                    <a href={instrumentHref(instrument)}>《{instrument.title}》</a>
                    {instrument.shortTitle && <div class="small muted">简称：{instrument.shortTitle}</div>}
                  </td>
                  <td>{instrument.rank}</td>
                  <td>{[...new Set(versions.map((v) => v.enactingOrgan).filter((o): o is string => !!o))].join('、') || '—'}</td>
                  <td>{versions.map((v) => v.effectiveFrom ?? '（未注明）').join('、') || '—'}</td>
                  <td>{instrument.repealedOn ? <Repealed instrument={instrument} successor={successor} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && <p class="small muted">只列出前 {instruments.length} 部，请输入名称缩小范围。</p>}
    </ConsolePage>
  );
}

function CatalogueImportResult({ report }: { report: CatalogueImportReport }) {
  const r = report.result;
  return (
    <div role="status">
      {report.errors.length === 0 && r ? (
        <p class="notice ok">
          {report.dryRun ? '检查通过（未写入）：将导入' : '已导入：'}
          {r.instruments} 部法规的 {r.provisions} 个条款、{r.crosswalk} 行条文对照、{r.repeals} 项废止；{r.citationsReresolved} 处引用的解析{report.dryRun ? '将' : '已'}改变；
          依据变更提醒 {report.alerts?.open ?? 0} 条未处理（新增 {report.alerts?.created ?? 0}，关闭 {report.alerts?.closed ?? 0}）。
        </p>
      ) : (
        <p class="notice error">文件有 {report.errors.length} 处错误，什么也没有写入。请修改后重新上传。</p>
      )}
      {report.errors.length > 0 && (
        <ProblemTable label="法规目录导入的错误" lead="工作表或文件" problems={report.errors.map((p) => ({ ...p, lead: p.sheet ?? '—' }))} />
      )}
    </div>
  );
}

export function InstrumentPage({
  view,
  instrument,
  successor,
  versions,
  provisions,
  crosswalk,
}: {
  view: ConsoleView;
  instrument: LegalInstrumentEntity;
  successor: LegalInstrumentEntity | null;
  versions: InstrumentVersionEntity[];
  provisions: ReadonlyMap<string, ProvisionEntity[]>;
  crosswalk: ReadonlyMap<string, ProvisionCrosswalkEntity[]>;
}) {
  const effective = new Map(versions.map((v) => [v.id, v.effectiveFrom ?? '（未注明）']));
  return (
    <ConsolePage view={view} title={instrument.title}>
      <p class="breadcrumb">
        <a href="/console/catalogue">法规目录</a> › 《{instrument.title}》
      </p>
      <h1>《{instrument.title}》</h1>
      <dl class="facts">
        <dt>简称</dt>
        <dd>{instrument.shortTitle ?? '—'}</dd>
        <dt>位阶</dt>
        <dd>{instrument.rank}</dd>
        <dt>废止</dt>
        <dd>{instrument.repealedOn ? <Repealed instrument={instrument} successor={successor} /> : '现行有效'}</dd>
      </dl>
      {versions.length === 0 && <p class="notice">目录中还没有该法规的版本。</p>}
      {versions.map((v) => {
        const rows = crosswalk.get(v.id) ?? [];
        const own = provisions.get(v.id) ?? [];
        const heading = `${v.effectiveFrom ?? '施行日期未注明'} 起施行的版本`;
        return (
          <section aria-labelledby={`version-${v.id}`}>
            <h2 id={`version-${v.id}`}>{heading}</h2>
            <p class="small muted">
              {[v.enactingOrgan, v.docNumber].filter(Boolean).join('，') || '制定机关、文号未注明'}；目录收录 {own.length} 个条款
            </p>
            {own.length > 0 && (
              <div class="table-wrap" tabIndex={0} role="region" aria-label={`${heading}的条款`}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">条款</th>
                      <th scope="col">条文</th>
                    </tr>
                  </thead>
                  <tbody>
                    {own.map((p) => (
                      <tr>
                        <th scope="row">{clauseLabel(p.article, p.paragraph, p.item)}</th>
                        <td>{p.text}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {rows.length > 0 && (
              <div class="table-wrap" tabIndex={0} role="region" aria-label={`${heading}到 ${effective.get(rows[0].toVersionId)} 版本的条文对照`}>
                <table>
                  <caption class="small muted">条文对照：本版本的条款在 {effective.get(rows[0].toVersionId)} 版本中的位置</caption>
                  <thead>
                    <tr>
                      <th scope="col">原条款</th>
                      <th scope="col">新条款</th>
                      <th scope="col">变化</th>
                      <th scope="col">来源</th>
                      <th scope="col">核实</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((x) => (
                      <tr>
                        <td>{clauseLabel(x.fromArticle, x.fromParagraph)}</td>
                        <td>{x.toArticle === null ? '—' : clauseLabel(x.toArticle, x.toParagraph)}</td>
                        <td>{CHANGE_LABEL[x.change] ?? x.change}</td>
                        <td class="small">{x.source ?? '—'}</td>
                        <td>{x.verified ? '已核实' : '未核实'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </ConsolePage>
  );
}
