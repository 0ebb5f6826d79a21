import { can, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import type { ImportOutcome } from '../../modules/import-export/import.service.js';
import type { ListKind } from '../../modules/lists/duty-list.entity.js';
import { ALL_FIELDS, belongsTo, headersOf, SECTION_LABEL, type ItemField } from '../../modules/lists/item-fields.js';
import { LIST_SECTIONS, POWER_CATEGORIES } from '../../modules/lists/list-item.entity.js';
import { CHANGE_REASONS } from '../../modules/lists/list-versions.service.js';
import type { ListItemModel, ListVersionModel, VersionDiffModel } from '../../modules/lists/list.model.js';
import type { RegionEntity } from '../../modules/regions/region.entity.js';
import { ALERT_KIND_LABEL, type BasisAlertEntity } from '../../modules/basis-alerts/basis-alert.entity.js';
import { ConsolePage, Csrf, FieldError, Flash, FormError, ProblemTable, TextField, type ConsoleView, type FormErrors } from './console-frame.js';
import { KIND_LABEL, StatusBadge, versionHref } from './console-home.pages.js';

const townshipHref = (code: string) => `/console/townships/${code.slice(0, 9)}`;

/** The fields of an item form of this kind, in the sheet's order: the item code first. */
export function formFields(kind: ListKind): { field: string; label: string; f: ItemField }[] {
  return ALL_FIELDS.filter((f) => f.sheet && f.inputKey && belongsTo(f, kind))
    .sort((a, b) => a.sheet!.order - b.sheet!.order)
    .map((f) => ({ field: f.inputKey!, label: headersOf(f, kind)!.header, f }));
}

function KindSelect({ errors, id }: { errors?: FormErrors; id: string }) {
  return (
    <div>
      <label for={id}>清单类型</label>
      <select id={id} name="kind" required aria-invalid={errors?.kind ? 'true' : undefined} aria-describedby={errors?.kind ? `${id}-error` : undefined}>
        <option value="RESPONSIBILITY">责任清单</option>
        <option value="POWER">权力清单</option>
      </select>
      <FieldError errors={errors} field="kind" id={`${id}-error`} />
    </div>
  );
}

function ReasonSelect({ errors, id }: { errors?: FormErrors; id: string }) {
  return (
    <div>
      <label for={id}>调整原因</label>
      <select id={id} name="changeReason" aria-invalid={errors?.changeReason ? 'true' : undefined} aria-describedby={errors?.changeReason ? `${id}-error` : undefined}>
        {CHANGE_REASONS.map((r) => (
          <option value={r}>{r}</option>
        ))}
      </select>
      <FieldError errors={errors} field="changeReason" id={`${id}-error`} />
    </div>
  );
}

export function TownshipPage({
  view,
  region,
  lists,
  alerts,
  mayEdit,
  done,
  errors,
  form,
}: {
  view: ConsoleView;
  region: RegionEntity;
  lists: Record<ListKind, ListVersionModel[]>;
  alerts: BasisAlertEntity[];
  mayEdit: boolean;
  done?: string;
  errors?: FormErrors;
  form?: string;
}) {
  const at = (name: string) => (form === name ? errors : undefined);
  return (
    <ConsolePage view={view} title={region.name}>
      <p class="breadcrumb">
        <a href="/console">概览</a> › {region.name}
      </p>
      <h1>
        {region.name} <span class="small muted">{region.code.slice(0, 9)}</span>
      </h1>
      <Flash done={done} />
      {alerts.length > 0 && (
        <section aria-labelledby="basis-alerts">
          <h2 id="basis-alerts">法律依据变化提示（{alerts.length}）</h2>
          <p class="muted">清单引用的法律法规已修改、重新编号或废止：请在清单中调整依据（立改废释），或说明理由后忽略。</p>
          <table>
            <thead>
              <tr>
                <th scope="col">事项</th>
                <th scope="col">原依据</th>
                <th scope="col">变化</th>
                <th scope="col">建议依据</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr>
                  <td>
                    {a.itemName} <span class="small muted">{a.itemCode}</span>
                  </td>
                  <td>{a.citationLabel}</td>
                  <td>{ALERT_KIND_LABEL[a.kind]}</td>
                  <td>{a.proposedCitation ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {(['RESPONSIBILITY', 'POWER'] as const).map((kind) => (
        <section aria-labelledby={`list-${kind}`}>
          <h2 id={`list-${kind}`}>{KIND_LABEL[kind]}</h2>
          {lists[kind].length === 0 ? (
            <p class="muted">还没有版本。</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label={`${KIND_LABEL[kind]}的版本`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">版本</th>
                    <th scope="col">状态</th>
                    <th scope="col">施行期间</th>
                    <th scope="col">批准文号</th>
                  </tr>
                </thead>
                <tbody>
                  {lists[kind].map((v) => (
                    <tr>
                      <td>
                        <a href={versionHref(v)}>v{v.number}</a>
                      </td>
                      <td>
                        <StatusBadge status={v.status} />
                      </td>
                      <td>{v.effectiveFrom ? `${v.effectiveFrom} 至 ${v.effectiveTo ?? '今'}` : '—'}</td>
                      <td>{v.approvalDocNumber ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      {mayEdit && (
        <>
          <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">导入清单文件</h2>
            <p class="small muted">
              上传县里的 .xlsx 或 .csv 清单文件。系统先检查文件并列出将新增、修改、删除的事项和每个问题所在的行和列，确认无误后再创建草稿；有问题时请修改文件后重新上传。
            </p>
            <FormError errors={at('import')} fields={['kind', 'changeReason', 'file', 'regionCode']} />
            <form class="stack" method="post" action="/console/imports" enctype="multipart/form-data" data-progress>
              <Csrf view={view} />
              <input type="hidden" name="regionCode" value={region.code.slice(0, 9)} />
              <KindSelect errors={at('import')} id="import-kind" />
              <ReasonSelect errors={at('import')} id="import-reason" />
              <div>
                <label for="import-file">清单文件</label>
                <input id="import-file" name="file" type="file" accept=".xlsx,.csv" required aria-describedby={at('import')?.file ? 'import-file-error' : undefined} />
                <FieldError errors={at('import')} field="file" id="import-file-error" />
              </div>
              <div>
                <button type="submit">检查文件</button>
              </div>
              <div data-progress-status hidden role="status">
                <progress aria-label="上传进度" />
                <span />
              </div>
            </form>
          </section>
          <section class="card" aria-labelledby="draft-title">
            <h2 id="draft-title">新建空白草稿</h2>
            <p class="small muted">以现行版本为基础新建下一版草稿，再逐项修改。</p>
            <FormError errors={at('draft')} fields={['kind', 'changeReason']} />
            <form class="stack" method="post" action={`/console/townships/${region.code.slice(0, 9)}/drafts`}>
              <Csrf view={view} />
              <KindSelect errors={at('draft')} id="draft-kind" />
              <ReasonSelect errors={at('draft')} id="draft-reason" />
              <div>
                <button type="submit">新建草稿</button>
              </div>
            </form>
          </section>
        </>
      )}
    </ConsolePage>
  );
}

export function ImportReportPage({
  view,
  region,
  kind,
  fileName,
  outcome,
  pendingId,
}: {
  view: ConsoleView;
  region: RegionEntity;
  kind: ListKind;
  fileName: string;
  outcome: ImportOutcome;
  pendingId: string | null;
  changeReason: string | null;
}) {
  const ok = outcome.errors.length === 0;
  // A dry run that does not compare with the version in force reports no counts: the table then shows what it checked.
  const counted = outcome.dryRun || outcome.version !== null;
  const listed = [
    ...outcome.addedItems.map((i) => ['新增', i] as const),
    ...outcome.changedItems.map((i) => ['修改', i] as const),
    ...outcome.removedItems.map((i) => ['删除', i] as const),
  ];
  return (
    <ConsolePage view={view} title="导入检查结果">
      <p class="breadcrumb">
        <a href="/console">概览</a> › <a href={townshipHref(region.code)}>{region.name}</a> › 导入检查结果
      </p>
      <h1>
        {region.name}
        {KIND_LABEL[kind]}：导入检查结果
      </h1>
      <p>
        文件：{fileName}
        {outcome.format ? `（${outcome.format.toUpperCase()}${outcome.encoding ? `，${outcome.encoding}` : ''}）` : ''}
      </p>
      {ok ? (
        <p class="notice ok" role="status">
          文件检查通过，共 {outcome.itemsImported} 个事项，尚未写入。确认后创建草稿。
        </p>
      ) : (
        <p class="notice error" role="alert">
          文件有 {outcome.errors.length} 处错误，未创建草稿。请按下表修改文件后重新上传。
        </p>
      )}
      {counted ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="导入结果汇总">
          <table>
            <caption class="small muted">与现行版本相比</caption>
            <thead>
              <tr>
                <th scope="col">新增</th>
                <th scope="col">修改</th>
                <th scope="col">删除</th>
                <th scope="col">未变</th>
                <th scope="col">事项合计</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td class="num">{outcome.added}</td>
                <td class="num">{outcome.changed}</td>
                <td class="num">{outcome.removed}</td>
                <td class="num">{outcome.unchanged}</td>
                <td class="num">{outcome.itemsImported}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="导入结果汇总">
          <table>
            <thead>
              <tr>
                <th scope="col">可导入的事项</th>
                <th scope="col">错误</th>
                <th scope="col">提示</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td class="num">{outcome.itemsImported}</td>
                <td class="num">{outcome.errors.length}</td>
                <td class="num">{outcome.warnings.length}</td>
              </tr>
            </tbody>
          </table>
          {ok && <p class="small muted">与现行版本相比的新增、修改、删除，创建草稿后在草稿页逐项列出。</p>}
        </div>
      )}
      {ok && listed.length > 0 && (
        <>
          <h2>逐项变化（新增 {outcome.added}，修改 {outcome.changed}，删除 {outcome.removed}）</h2>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="逐项变化">
            <table>
              <thead>
                <tr>
                  <th scope="col">变化</th>
                  <th scope="col">事项编码</th>
                  <th scope="col">事项名称</th>
                  <th scope="col">文件位置</th>
                </tr>
              </thead>
              <tbody>
                {listed.map(([change, i]) => (
                  <tr class={`change-${change === '新增' ? 'ADDED' : change === '删除' ? 'REMOVED' : 'CHANGED'}`}>
                    <td>{change}</td>
                    <td>{i.itemCode}</td>
                    <td>{i.name}</td>
                    <td>{i.row ? `${i.sheet ? `「${i.sheet}」表` : ''}第${i.row}行` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {(outcome.errors.length > 0 || outcome.warnings.length > 0) && (
        <>
          <h2>问题（{outcome.errors.length} 处错误，{outcome.warnings.length} 处提示）</h2>
          <ProblemTable
            label="错误和提示"
            lead="类型"
            problems={[...outcome.errors.map((p) => ({ ...p, lead: '错误', tone: 'error' as const })), ...outcome.warnings.map((p) => ({ ...p, lead: '提示', tone: 'warning' as const }))]}
          />
        </>
      )}
      <div class="actions">
        {ok && pendingId && (
          <form method="post" action={`/console/imports/${pendingId}/create`} class="inline-form">
            <Csrf view={view} />
            <button type="submit">创建草稿</button>
          </form>
        )}
        <a class="button secondary" href={townshipHref(region.code)}>
          {ok ? '放弃，重新上传' : '修改文件后重新上传'}
        </a>
      </div>
    </ConsolePage>
  );
}

const DIFF_FIELD_LABEL = new Map(ALL_FIELDS.filter((f) => f.diff).map((f) => [f.diff!, f.label]));
const CHANGE_LABEL: Record<string, string> = { ADDED: '新增', REMOVED: '删除', CHANGED: '修改' };

/** Changes item by item, field by field: before struck through, after inserted. */
export function DiffTable({ changes }: { changes: { itemCode: string; name: string; change: string; fields?: { field: string; before: string | null; after: string | null }[] }[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="逐项变化">
      <table class="diff">
        <thead>
          <tr>
            <th scope="col">变化</th>
            <th scope="col">事项</th>
            <th scope="col">内容</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr class={`change-${c.change}`}>
              <td>{CHANGE_LABEL[c.change] ?? c.change}</td>
              <td>
                {c.name}
                <div class="small muted">{c.itemCode}</div>
              </td>
              <td>
                {c.change === 'CHANGED' && c.fields ? (
                  <dl class="fields">
                    {c.fields.map((f) => (
                      <>
                        <dt>{DIFF_FIELD_LABEL.get(f.field) ?? f.field}</dt>
                        <dd>
                          {f.before && (
                            <del>
                              <span class="visually-hidden">原为：</span>
                              {f.before}
                            </del>
                          )}{' '}
                          {f.after && (
                            <ins>
                              <span class="visually-hidden">改为：</span>
                              {f.after}
                            </ins>
                          )}
                        </dd>
                      </>
                    ))}
                  </dl>
                ) : (
                  <span class="muted">{c.change === 'ADDED' ? '新增事项' : '删除事项'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Which refusal belongs to which form of the version page. */
export interface VersionForms {
  form?: string;
  errors?: FormErrors;
}

/** Items by part: the sections of a responsibility list, the categories of a power list. */
function groups(version: ListVersionModel, items: ListItemModel[]): { key: string; label: string; items: ListItemModel[] }[] {
  if (version.kind === 'RESPONSIBILITY')
    return LIST_SECTIONS.map((s) => ({ key: s, label: `${SECTION_LABEL[s]}事项`, items: items.filter((i) => i.section === s) })).filter((g) => g.items.length);
  const labels = (ALL_FIELDS.find((f) => f.key === 'category')!.codec.labels ?? {}) as Record<string, string>;
  return POWER_CATEGORIES.map((c) => ({ key: c, label: labels[c] ?? c, items: items.filter((i) => i.category === c) })).filter((g) => g.items.length);
}

export function VersionPage({
  view,
  version: v,
  region,
  items,
  bodyNames,
  basedOn,
  diff,
  findings,
  forms,
  done,
}: {
  view: ConsoleView;
  version: ListVersionModel;
  region: RegionEntity;
  items: ListItemModel[];
  bodyNames: ReadonlyMap<string, string>;
  basedOn: ListVersionModel | null;
  diff: VersionDiffModel | null;
  findings: { itemCode: string; name: string; kind: string; message: string; exceptionReason: string | null }[];
  forms: VersionForms;
  done?: string;
}) {
  const actor = view.actor as Actor;
  const at = (name: string) => (forms.form === name ? forms.errors : undefined);
  const editable = v.status === 'DRAFT' && can(actor, Permission.EDIT_LISTS);
  const ownSubmission = v.submittedBy === actor.username;
  const title = `${region.name}${KIND_LABEL[v.kind]} v${v.number}`;
  return (
    <ConsolePage view={view} title={title}>
      <p class="breadcrumb">
        <a href="/console">概览</a> › <a href={townshipHref(region.code)}>{region.name}</a> › v{v.number}
      </p>
      <h1>
        {title} <StatusBadge status={v.status} />
      </h1>
      <Flash done={done} />
      <dl class="fields">
        <dt>调整原因</dt>
        <dd>{v.changeReason ?? '—'}</dd>
        <dt>基于版本</dt>
        <dd>{basedOn ? <a href={versionHref(basedOn)}>v{basedOn.number}</a> : '无（首个版本）'}</dd>
        {v.submittedBy && (
          <>
            <dt>提交人</dt>
            <dd>{v.submittedBy}</dd>
          </>
        )}
        {v.approvedBy && (
          <>
            <dt>审核人</dt>
            <dd>{v.approvedBy}</dd>
          </>
        )}
        {v.reviewOpinion && (
          <>
            <dt>审核意见</dt>
            <dd>{v.reviewOpinion}</dd>
          </>
        )}
        {v.effectiveFrom && (
          <>
            <dt>施行期间</dt>
            <dd>
              {v.effectiveFrom} 至 {v.effectiveTo ?? '今'}
            </dd>
            <dt>批准文号</dt>
            <dd>{v.approvalDocNumber}</dd>
          </>
        )}
        <dt>修订号</dt>
        <dd>{v.revision}</dd>
      </dl>
      <p>
        <a href={`/console/audit?type=ListVersion&id=${v.id}`}>查看此版本的审计记录</a>
      </p>

      {v.status === 'IN_REVIEW' && (
        <section class="card" aria-labelledby="review-title">
          <h2 id="review-title">合法性审核</h2>
          {ownSubmission && <FormError errors={at('review')} fields={[]} />}
          {!can(actor, Permission.REVIEW_LISTS) ? (
            <p class="muted">等待审核人员审核。</p>
          ) : ownSubmission ? (
            <p class="notice warn">这个版本是您提交的，须由另一名审核人员审核。</p>
          ) : (
            <>
              <p>请对照下方与现行版本的差异逐项审查，审核通过或退回修改。</p>
              <FormError errors={at('review')} fields={['opinion']} />
              <form class="stack" method="post" action={`/console/versions/${v.id}/approve`}>
                <Csrf view={view} />
                <TextField name="opinion" id="approve-opinion" label="审核意见" hint="通过时可不填" multiline errors={at('review')} />
                <div class="actions">
                  <button type="submit">审核通过</button>
                  <button type="submit" class="secondary" formaction={`/console/versions/${v.id}/reject`}>
                    退回修改
                  </button>
                </div>
              </form>
              <p class="small muted">退回时必须填写审核意见。</p>
            </>
          )}
        </section>
      )}

      {v.status === 'APPROVED' && can(actor, Permission.PUBLISH_LISTS) && (
        <section class="card" aria-labelledby="publish-title">
          <h2 id="publish-title">发布</h2>
          <p class="small muted">
            生效日期须晚于现行版本的生效日期（历史不可改写）；发布后现行版本自生效日期起失效。批准文号如“宜政发〔2026〕12号”。
          </p>
          <FormError errors={at('publish')} fields={['effectiveFrom', 'approvalDocNumber']} />
          <form class="stack" method="post" action={`/console/versions/${v.id}/publish`}>
            <Csrf view={view} />
            <TextField name="approvalDocNumber" label="批准文号" required errors={at('publish')} />
            <TextField name="effectiveFrom" label="生效日期" type="date" required errors={at('publish')} />
            <div>
              <button type="submit">发布</button>
            </div>
          </form>
        </section>
      )}

      {findings.length > 0 && (
        <section aria-labelledby="gates-title" id="gates">
          <h2 id="gates-title">提交审核前的检查（{findings.length}）</h2>
          <p class="small muted">
            没有实施依据、同一部分中重名、依据在法规库中找不到的事项，须修改事项，或逐项说明理由后才能提交审核；审核人员会看到这些理由。
          </p>
          <FormError errors={forms.form?.startsWith('gate:') ? forms.errors : undefined} fields={['reason']} />
          <div class="table-wrap" tabIndex={0} role="region" aria-label="检查结果">
            <table>
              <thead>
                <tr>
                  <th scope="col">事项</th>
                  <th scope="col">问题</th>
                  <th scope="col">理由</th>
                </tr>
              </thead>
              <tbody>
                {findings.map((f, i) => {
                  const first = findings.findIndex((g) => g.itemCode === f.itemCode) === i;
                  return (
                    <tr>
                      <td>{f.itemCode}</td>
                      <td>{f.message}</td>
                      <td>
                        {f.exceptionReason ? (
                          <>
                            {f.exceptionReason}
                            {editable && first && (
                              <form method="post" action={`/console/versions/${v.id}/gates/${encodeURIComponent(f.itemCode)}/clear`} class="inline-form">
                                <Csrf view={view} />
                                <input type="hidden" name="expectedRevision" value={String(v.revision)} />{' '}
                                <button type="submit" class="secondary small-button" aria-label={`撤销理由：事项 ${f.itemCode}`}>
                                  撤销
                                </button>
                              </form>
                            )}
                          </>
                        ) : editable && first ? (
                          <form method="post" action={`/console/versions/${v.id}/gates/${encodeURIComponent(f.itemCode)}`} class="stack">
                            <Csrf view={view} />
                            <input type="hidden" name="expectedRevision" value={String(v.revision)} />
                            <label for={`gate-${f.itemCode}`} class="visually-hidden">
                              事项 {f.itemCode} 的理由
                            </label>
                            <input id={`gate-${f.itemCode}`} name="reason" type="text" required />
                            <FieldError errors={forms.form === `gate:${f.itemCode}` ? forms.errors : undefined} field="reason" id={`gate-${f.itemCode}-error`} />
                            <div>
                              <button type="submit" class="secondary small-button">
                                登记理由
                              </button>
                            </div>
                          </form>
                        ) : (
                          <span class="muted">{first ? '未说明' : '（同上）'}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {v.status !== 'PUBLISHED' && v.status !== 'SUPERSEDED' && (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">与{basedOn ? `现行版本 v${basedOn.number}` : '现行版本'}的差异</h2>
          {!basedOn ? (
            <>
              <p>首个版本：全部 {items.length} 个事项均为新增。</p>
              <DiffTable changes={items.map((i) => ({ itemCode: i.itemCode, name: i.name, change: 'ADDED' }))} />
            </>
          ) : diff && diff.changes.length ? (
            <DiffTable changes={diff.changes} />
          ) : (
            <p class="muted">与现行版本相同，没有变化。</p>
          )}
        </section>
      )}

      <section aria-labelledby="items-title">
        <h2 id="items-title">事项（{items.length}）</h2>
        <FormError errors={forms.form?.startsWith('remove:') ? forms.errors : undefined} fields={[]} />
        {editable && (
          <p>
            <a class="button secondary" href={`/console/versions/${v.id}/items/new`}>
              新增事项
            </a>
          </p>
        )}
        {groups(v, items).map((g) => (
          <>
            <h3>
              {g.label}（{g.items.length}）
            </h3>
            <div class="table-wrap" tabIndex={0} role="region" aria-label={g.label}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">事项编码</th>
                    <th scope="col">事项名称</th>
                    <th scope="col">{v.kind === 'POWER' ? '实施主体' : '责任主体'}</th>
                    <th scope="col">操作</th>
                  </tr>
                </thead>
                <tbody>
                  {g.items.map((i) => (
                    <tr id={`item-${i.itemCode}`}>
                      <td>{i.itemCode}</td>
                      <td>{i.name}</td>
                      <td>{bodyNames.get(i.accountableBodyId) ?? ''}</td>
                      <td>
                        <a href={`/console/versions/${v.id}/items/${encodeURIComponent(i.itemCode)}`} aria-label={`${editable ? '修改' : '查看'}事项 ${i.itemCode}`}>
                          {editable ? '修改' : '查看'}
                        </a>
                        {editable && (
                          <form method="post" action={`/console/versions/${v.id}/items/${encodeURIComponent(i.itemCode)}/remove`} class="inline-form">
                            <Csrf view={view} />
                            <input type="hidden" name="expectedRevision" value={String(v.revision)} />{' '}
                            <button type="submit" class="secondary small-button" aria-label={`删除事项 ${i.itemCode}`}>
                              删除
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
      </section>

      {editable && (
        <section class="card" aria-labelledby="discard-title">
          <h2 id="discard-title">撤销草稿</h2>
          <p class="small muted">撤销后这份草稿不再保留（审计记录保留），可以重新导入或新建。</p>
          <FormError errors={at('discard')} fields={['reason']} />
          <form class="stack" method="post" action={`/console/versions/${v.id}/discard`}>
            <Csrf view={view} />
            <TextField name="reason" id="discard-reason" label="撤销原因" errors={at('discard')} required />
            <div>
              <button type="submit" class="secondary">
                撤销草稿
              </button>
            </div>
          </form>
        </section>
      )}
      {editable && (
        <section class="card" aria-labelledby="submit-title">
          <h2 id="submit-title">提交审核</h2>
          <p class="small muted">提交后草稿不能再修改，由另一名审核人员进行合法性审核。</p>
          <FormError errors={at('submit')} fields={[]} />
          <form method="post" action={`/console/versions/${v.id}/submit`}>
            <Csrf view={view} />
            <button type="submit">提交审核</button>
          </form>
        </section>
      )}
    </ConsolePage>
  );
}

export function ItemFormPage({
  view,
  version: v,
  item,
  cells,
  expectedRevision,
  errors,
}: {
  view: ConsoleView;
  version: ListVersionModel;
  item: ListItemModel | null;
  cells: Record<string, string>;
  expectedRevision: number;
  errors?: FormErrors;
}) {
  const editable = v.status === 'DRAFT' && can(view.actor as Actor, Permission.EDIT_LISTS);
  const fields = formFields(v.kind);
  const title = item ? `事项 ${item.itemCode}` : '新增事项';
  return (
    <ConsolePage view={view} title={title}>
      <p class="breadcrumb">
        <a href="/console">概览</a> › <a href={versionHref(v)}>{KIND_LABEL[v.kind]} v{v.number}</a> › {title}
      </p>
      <h1>
        {item ? item.name : '新增事项'} {item && <span class="small muted">{item.itemCode}</span>}
      </h1>
      {!editable && <p class="notice">该版本{v.status === 'DRAFT' ? '' : '已不是草稿，'}只能查看。</p>}
      <FormError errors={errors} fields={fields.map((f) => f.field)} />
      <form class="stack" method="post" action={`/console/versions/${v.id}/items`}>
        <Csrf view={view} />
        <input type="hidden" name="expectedRevision" value={String(expectedRevision)} />
        <input type="hidden" name="originalCode" value={item?.itemCode ?? ''} />
        {fields.map(({ field, label, f }) => {
          if (field === 'itemCode' && item)
            return (
              <div>
                <p>
                  <strong>{label}</strong>：{item.itemCode}
                </p>
              </div>
            );
          const labels = f.codec.labels as Record<string, string> | undefined;
          if (labels) {
            const id = `f-${field}`;
            const invalid = !!errors?.[field];
            return (
              <div>
                <label for={id}>{label}</label>
                <select id={id} name={field} disabled={!editable} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? `${id}-error` : undefined}>
                  <option value="">（未填）</option>
                  {Object.values(labels).map((l) => (
                    <option value={l} selected={cells[field] === l}>
                      {l}
                    </option>
                  ))}
                </select>
                <FieldError errors={errors} field={field} id={`${id}-error`} />
              </div>
            );
          }
          const multiline = f.codec.sqlType !== 'uuid' && !(f.codec.sqlType === 'text' && (f.sheet?.width ?? 0) <= 24);
          return <TextField name={field} label={label} value={cells[field] ?? ''} errors={errors} multiline={multiline} required={!!f.codec.required} hint={hintOf(field)} />;
        })}
        {editable && (
          <div class="actions">
            <button type="submit">保存</button>
            <a href={versionHref(v)}>取消</a>
          </div>
        )}
      </form>
    </ConsolePage>
  );
}

function hintOf(field: string): string | undefined {
  if (field === 'cooperating') return '每个部门一段：“部门名称：职责”，多个部门用“；”分隔';
  if (field === 'stagedDuties') return '编号分项，如“1.受理责任：……；2.审查责任：……”';
  if (field === 'keywords') return '用“、”分隔';
  if (field === 'accountabilityCircumstances' || field === 'exemptions') return '多项用“；”分隔';
  if (field === 'accountableBodyName') return '须为主体目录中已登记的名称';
  return undefined;
}
