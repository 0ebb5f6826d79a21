import type { ListVersionModel } from '../../modules/lists/list.model.js';
import { statusLabel } from '../../modules/lists/list-version.access.js';
import { GATE_LABEL, type GateKind, type StoredGateFinding } from '../../modules/lists/gate-findings.js';
import { ConsolePage, Csrf, Flash, FormError, TextField, type ConsoleView, type FormErrors } from './console-frame.js';

export const KIND_LABEL: Record<string, string> = { RESPONSIBILITY: '责任清单', POWER: '权力清单' };

export function SignInPage({ view, next, done, username, error }: { view: ConsoleView; next: string; done?: string; username?: string; error?: string }) {
  return (
    <ConsolePage view={view} title="登录">
      <h1>登录权责清单管理</h1>
      <Flash done={done} />
      <p>县司法局、编办和乡镇的工作人员用系统账号登录后，编辑、审核和发布本辖区乡镇的权责清单。</p>
      <form class="stack" method="post" action="/console/sign-in">
        <input type="hidden" name="_csrf" value={view.csrf} />
        <input type="hidden" name="next" value={next} />
        {error && (
          <p class="notice error" role="alert" id="sign-in-error">
            {error}
          </p>
        )}
        <div>
          <label for="username">用户名</label>
          <input id="username" name="username" type="text" required autocomplete="username" value={username ?? ''} aria-describedby={error ? 'sign-in-error' : undefined} />
        </div>
        <div>
          <label for="password">密码</label>
          <input id="password" name="password" type="password" required autocomplete="current-password" aria-describedby={error ? 'sign-in-error' : undefined} />
        </div>
        <div>
          <button type="submit">登录</button>
        </div>
      </form>
      <p class="small muted">连续多次输入错误的密码后，须等待一段时间才能再试。长时间未操作会自动退出登录。</p>
    </ConsolePage>
  );
}

/** 修改密码: the user's own password (the API's changePassword), new one twice. */
export function PasswordPage({ view, errors }: { view: ConsoleView; errors?: FormErrors }) {
  const fields = ['currentPassword', 'newPassword', 'confirmPassword'];
  return (
    <ConsolePage view={view} title="修改密码">
      <p class="breadcrumb">
        <a href="/console">概览</a> › 修改密码
      </p>
      <h1>修改密码</h1>
      <p class="muted">修改后，您在其他地方的登录（以及 API 令牌）随即失效；本页面保持登录。</p>
      <FormError errors={errors} fields={fields} />
      <form class="stack" method="post" action="/console/password">
        <Csrf view={view} />
        <input type="text" name="username" value={view.actor?.username ?? ''} autocomplete="username" hidden readOnly />
        <TextField name="currentPassword" label="当前密码" type="password" autocomplete="current-password" errors={errors} required />
        <TextField name="newPassword" label="新密码" type="password" autocomplete="new-password" errors={errors} required />
        <TextField name="confirmPassword" label="再次输入新密码" type="password" autocomplete="new-password" errors={errors} required />
        <div>
          <button type="submit">修改密码</button>
        </div>
      </form>
    </ConsolePage>
  );
}

export interface ListSummary {
  kind: 'RESPONSIBILITY' | 'POWER';
  inForce: ListVersionModel | null;
  open: ListVersionModel | null;
  scheduled: ListVersionModel | null;
  versions: number;
  /** The open version's gate findings (no legal basis, a duplicate name, an unresolved citation): what submitting checks. */
  findings: StoredGateFinding[] | null;
  /** Open basis alerts of the list (a law it cites changed). */
  openAlerts: number;
}

export interface TownshipSummary {
  code: string;
  name: string;
  lists: ListSummary[];
}

export const versionHref = (v: { id: string }) => `/console/versions/${v.id}`;

export function StatusBadge({ status }: { status: ListVersionModel['status'] }) {
  return <span class={`status status-${status}`}>{statusLabel(status)}</span>;
}

/** 提示 of an open version: its gate findings by kind, and how many still lack a reason (submitting needs one). */
function Warnings({ version, findings }: { version: ListVersionModel; findings: StoredGateFinding[] }) {
  const byKind = new Map<string, number>();
  for (const f of findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const open = findings.filter((f) => f.blocking && !f.exceptionReason).length;
  return (
    <div>
      <a class="warn-text" href={`${versionHref(version)}#gates`}>
        提示 {findings.length} 项
      </a>
      ：{[...byKind].map(([kind, n]) => `${GATE_LABEL[kind as GateKind]} ${n}`).join('，')}
      {open > 0 && <span>（{open} 项未说明理由）</span>}
    </div>
  );
}

export function DashboardPage({
  view,
  sections,
  recent,
  done,
}: {
  view: ConsoleView;
  done?: string;
  sections: { county: { code: string; name: string }; townships: TownshipSummary[] }[];
  recent: { township: string; kind: string; version: ListVersionModel }[];
}) {
  const waiting = sections.flatMap((s) => s.townships.flatMap((t) => t.lists.filter((l) => l.open?.status === 'IN_REVIEW' || l.open?.status === 'APPROVED').map((l) => ({ t, l }))));
  return (
    <ConsolePage view={view} title="概览">
      <h1>概览</h1>
      <Flash done={done} />
      {waiting.length > 0 && (
        <div class="notice warn" role="status">
          <p>待处理的版本：</p>
          <ul>
            {waiting.map(({ t, l }) => (
              <li>
                <a href={versionHref(l.open!)}>
                  {t.name}
                  {KIND_LABEL[l.kind]} v{l.open!.number}
                </a>{' '}
                <StatusBadge status={l.open!.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {sections.length === 0 && <p class="notice">还没有任何乡镇的清单。</p>}
      {sections.map(({ county, townships }) => (
        <section aria-labelledby={`county-${county.code}`}>
          <h2 id={`county-${county.code}`}>{county.name}</h2>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${county.name}各乡镇清单`}>
            <table>
              <caption class="small muted">各乡镇（街道）清单的现行版本与未发布版本</caption>
              <thead>
                <tr>
                  <th scope="col">乡镇（街道）</th>
                  <th scope="col">责任清单</th>
                  <th scope="col">权力清单</th>
                </tr>
              </thead>
              <tbody>
                {townships.map((t) => (
                  <tr>
                    <th scope="row">
                      <a href={`/console/townships/${t.code.slice(0, 9)}`}>{t.name}</a>
                      <div class="small muted">{t.code.slice(0, 9)}</div>
                    </th>
                    {t.lists.map((l) => (
                      <td>
                        {l.inForce ? (
                          <div>
                            现行 <a href={versionHref(l.inForce)}>v{l.inForce.number}</a>（{l.inForce.effectiveFrom} 起）
                          </div>
                        ) : (
                          <div class="muted">无现行版本</div>
                        )}
                        {l.scheduled && (
                          <div>
                            待生效 <a href={versionHref(l.scheduled)}>v{l.scheduled.number}</a>（{l.scheduled.effectiveFrom} 起）
                          </div>
                        )}
                        {l.open && (
                          <div>
                            <a href={versionHref(l.open)}>v{l.open.number}</a> <StatusBadge status={l.open.status} />
                          </div>
                        )}
                        {l.open && l.findings && l.findings.length > 0 && <Warnings version={l.open} findings={l.findings} />}
                        {l.openAlerts > 0 && (
                          <div>
                            <a class="warn-text" href={`/console/townships/${t.code.slice(0, 9)}#basis-alerts`}>
                              依据变更提醒 {l.openAlerts} 条
                            </a>
                          </div>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {recent.length > 0 && (
        <>
          <h2>最近发布</h2>
          <ul>
            {recent.map((r) => (
              <li>
                <a href={versionHref(r.version)}>
                  {r.township}
                  {KIND_LABEL[r.kind]} v{r.version.number}
                </a>
                ：{r.version.effectiveFrom} 起施行，{r.version.approvalDocNumber}
              </li>
            ))}
          </ul>
        </>
      )}
    </ConsolePage>
  );
}
