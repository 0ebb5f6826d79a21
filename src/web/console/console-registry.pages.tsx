import { can, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { ROLES, type UserEntity } from '../../auth/user.entity.js';
import type { AuditEventEntity } from '../../modules/audit/audit-event.entity.js';
import { BODY_KINDS } from '../../modules/bodies/body.entity.js';
import type { BodyModel } from '../../modules/bodies/body.model.js';
import type { SearchSynonymEntity } from '../../modules/accountability/search-synonym.entity.js';
import { ConsolePage, Csrf, FieldError, Flash, FormError, ROLE_LABEL, ProblemTable, TextField, UploadFields, type ConsoleView, type FormErrors } from './console-frame.js';

export function Select({ name, label, options, value, errors, id }: { name: string; label: string; options: [string, string][]; value?: string | null; errors?: FormErrors; id: string }) {
  const invalid = !!errors?.[name];
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? `${id}-error` : undefined}>
        {options.map(([v, l]) => (
          <option value={v} selected={v === value}>
            {l}
          </option>
        ))}
      </select>
      <FieldError errors={errors} field={name} id={`${id}-error`} />
    </div>
  );
}

const ROLE_OPTIONS = ROLES.map((r) => [r, ROLE_LABEL[r]] as [string, string]);

export function UsersPage({ view, users, done, errors, values }: { view: ConsoleView; users: UserEntity[]; done?: string; errors?: FormErrors; values?: Record<string, string> }) {
  return (
    <ConsolePage view={view} title="用户">
      <h1>用户</h1>
      <Flash done={done} />
      <div class="table-wrap" tabIndex={0} role="region" aria-label="用户列表">
        <table>
          <thead>
            <tr>
              <th scope="col">用户名</th>
              <th scope="col">角色</th>
              <th scope="col">所辖区划</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>
                  <a href={`/console/users/${u.id}`}>{u.username}</a>
                </td>
                <td>{ROLE_LABEL[u.role]}</td>
                <td>{u.regionCode ?? '全部'}</td>
                <td>{u.disabledAt ? '已停用' : '正常'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section class="card" aria-labelledby="new-user">
        <h2 id="new-user">新建用户</h2>
        <FormError errors={errors} fields={['username', 'password', 'role', 'regionCode']} />
        <form class="stack" method="post" action="/console/users">
          <Csrf view={view} />
          <TextField name="username" label="用户名" hint="3至64位字母、数字或 _ . @ -" value={values?.username} errors={errors} required autocomplete="off" />
          <TextField name="password" label="初始密码" hint="10至200位" type="password" errors={errors} required autocomplete="new-password" />
          <Select name="role" label="角色" options={ROLE_OPTIONS} value={values?.role ?? 'EDITOR'} errors={errors} id="f-role" />
          <TextField name="regionCode" label="所辖区划代码" hint="县级如 320282，乡镇用户填乡镇代码如 320282101；系统管理员不填" value={values?.regionCode} errors={errors} />
          <div>
            <button type="submit">创建</button>
          </div>
        </form>
      </section>
    </ConsolePage>
  );
}

export function UserPage({ view, user, done, form, errors }: { view: ConsoleView; user: UserEntity; done?: string; form?: string; errors?: FormErrors }) {
  const at = (name: string) => (form === name ? errors : undefined);
  return (
    <ConsolePage view={view} title={`用户 ${user.username}`}>
      <p class="breadcrumb">
        <a href="/console/users">用户</a> › {user.username}
      </p>
      <h1>{user.username}</h1>
      <Flash done={done} />
      <p>
        {ROLE_LABEL[user.role]}，所辖区划 {user.regionCode ?? '全部'}，{user.disabledAt ? '已停用' : '正常'}。
        <a href={`/console/audit?type=User&id=${user.id}`}>审计记录</a>
      </p>
      <section class="card" aria-labelledby="role-title">
        <h2 id="role-title">角色与区划</h2>
        <FormError errors={at('update')} fields={['role', 'regionCode']} />
        <form class="stack" method="post" action={`/console/users/${user.id}/update`}>
          <Csrf view={view} />
          <Select name="role" label="角色" options={ROLE_OPTIONS} value={user.role} errors={at('update')} id="f-role" />
          <TextField name="regionCode" label="所辖区划代码" value={user.regionCode?.replace(/0+$/, '') ?? ''} errors={at('update')} />
          <div>
            <button type="submit">保存</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">重置密码</h2>
        <FormError errors={at('password')} fields={['newPassword']} />
        <form class="stack" method="post" action={`/console/users/${user.id}/password`}>
          <Csrf view={view} />
          <TextField name="newPassword" label="新密码" hint="10至200位；该用户已登录的会话随即失效" type="password" errors={at('password')} required autocomplete="new-password" />
          <div>
            <button type="submit">重置密码</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="state-title">
        <h2 id="state-title">{user.disabledAt ? '恢复账号' : '停用账号'}</h2>
        <FormError errors={at('state')} fields={[]} />
        <form method="post" action={`/console/users/${user.id}/${user.disabledAt ? 'enable' : 'disable'}`}>
          <Csrf view={view} />
          <button type="submit" class="secondary">
            {user.disabledAt ? '恢复' : '停用'}
          </button>
        </form>
      </section>
    </ConsolePage>
  );
}

export function BodiesPage({
  view,
  region,
  bodies,
  done,
  form,
  errors,
  values,
  aliases,
  report,
}: {
  view: ConsoleView;
  region: { code: string; name: string };
  bodies: BodyModel[];
  done?: string;
  form?: string;
  errors?: FormErrors;
  values?: Record<string, string>;
  aliases: ReadonlyMap<string, string[]>;
  report?: BodyImportReport | null;
}) {
  const manage = can(view.actor as Actor, Permission.MANAGE_BODIES);
  const county = can(view.actor as Actor, Permission.MANAGE_COUNTY_BODIES);
  const at = (name: string) => (form === name ? errors : undefined);
  return (
    <ConsolePage view={view} title="主体目录">
      <h1>{region.name}主体目录</h1>
      <Flash done={done} />
      <form class="stack" method="get" action="/console/bodies">
        <div>
          <label for="region">区划代码</label>
          <input id="region" name="region" type="text" value={region.code.replace(/0+$/, '')} />
        </div>
        <div>
          <button type="submit" class="secondary">查看</button>
        </div>
      </form>
      {manage && (
        <section class="card" aria-labelledby="new-body">
          <h2 id="new-body">登记主体</h2>
          <FormError errors={at('create')} fields={['name', 'kind', 'regionCode']} />
          <form class="stack" method="post" action="/console/bodies">
            <Csrf view={view} />
            <TextField name="name" label="主体名称" value={values?.name} errors={at('create')} required />
            <Select name="kind" label="主体类型" options={BODY_KINDS.map((k) => [k, k])} value={values?.kind} errors={at('create')} id="f-kind" />
            <TextField name="regionCode" label="所在区划代码" hint="乡镇如 320282101，县级部门填县代码" value={values?.regionCode ?? region.code.replace(/0+$/, '')} errors={at('create')} required />
            <div>
              <button type="submit">登记</button>
            </div>
          </form>
        </section>
      )}
      {county && (
        <section class="card" aria-labelledby="import-bodies">
          <h2 id="import-bodies">导入主体目录</h2>
          <p class="small muted">.xlsx 或 .csv，列：主体名称、主体类型、区划代码，可选 别名。全部无误才写入；已有的同名同类型同区划主体保持不变。</p>
          <FormError errors={at('import')} fields={['file']} />
          <form class="stack" method="post" action="/console/bodies/import" enctype="multipart/form-data" data-progress>
            <Csrf view={view} />
            <UploadFields id="bodies-file" label="主体目录文件" errors={at('import')} />
          </form>
          {report && <BodyImportResult report={report} />}
        </section>
      )}
      {county && bodies.length > 1 && (
        <section class="card" aria-labelledby="merge-bodies">
          <h2 id="merge-bodies">合并主体</h2>
          <p class="small muted">同一主体登记了两次时使用：草稿中的引用改为保留的主体，被合并主体的名称此后解析为保留的主体；已发布的清单不变。</p>
          <FormError errors={at('merge')} fields={['keepId', 'mergeId', 'reason']} />
          <form class="stack" method="post" action="/console/bodies/merge">
            <Csrf view={view} />
            <Select name="mergeId" label="被合并的主体" options={bodies.map((b) => [b.id, b.name])} errors={at('merge')} id="f-mergeId" />
            <Select name="keepId" label="保留的主体" options={bodies.map((b) => [b.id, b.name])} errors={at('merge')} id="f-keepId" />
            <TextField name="reason" label="合并理由" errors={at('merge')} required />
            <div>
              <button type="submit">合并</button>
            </div>
          </form>
        </section>
      )}
      <FormError errors={form?.startsWith('rename:') ? errors : undefined} fields={[]} />
      <div class="table-wrap" tabIndex={0} role="region" aria-label="主体列表">
        <table>
          <thead>
            <tr>
              <th scope="col">主体名称</th>
              <th scope="col">类型</th>
              <th scope="col">区划</th>
              <th scope="col">别名</th>
              {manage && <th scope="col">改名</th>}
            </tr>
          </thead>
          <tbody>
            {bodies.map((b) => (
              <tr>
                <td>{b.name}</td>
                <td>{b.kind}</td>
                <td>{b.regionCode}</td>
                <td>
                  {(aliases.get(b.id) ?? []).map((a) =>
                    county ? (
                      <form method="post" action={`/console/bodies/${b.id}/aliases/remove`} class="inline-form">
                        <Csrf view={view} />
                        <input type="hidden" name="alias" value={a} />
                        {a}{' '}
                        <button type="submit" class="secondary small-button" aria-label={`删除别名 ${a}`}>
                          删除
                        </button>{' '}
                      </form>
                    ) : (
                      <span>{a} </span>
                    ),
                  )}
                  {county && (
                    <form method="post" action={`/console/bodies/${b.id}/aliases`} class="inline-form">
                      <Csrf view={view} />
                      <label for={`alias-${b.id}`} class="visually-hidden">
                        {b.name}的新别名
                      </label>
                      <input id={`alias-${b.id}`} name="alias" type="text" />{' '}
                      <button type="submit" class="secondary small-button">
                        添加别名
                      </button>
                    </form>
                  )}
                  <FieldError errors={form === `alias:${b.id}` ? errors : undefined} field="alias" id={`alias-${b.id}-error`} />
                </td>
                {manage && (
                  <td>
                    <form method="post" action={`/console/bodies/${b.id}/rename`} class="inline-form">
                      <Csrf view={view} />
                      <label for={`rename-${b.id}`} class="visually-hidden">
                        {b.name}的新名称
                      </label>
                      <input id={`rename-${b.id}`} name="name" type="text" value={b.name} />{' '}
                      <button type="submit" class="secondary small-button">
                        改名
                      </button>
                    </form>
                    <FieldError errors={form === `rename:${b.id}` ? errors : undefined} field="name" id={`rename-${b.id}-error`} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ConsolePage>
  );
}

export interface BodyImportReport {
  dryRun: boolean;
  created: number;
  unchanged: number;
  aliasesAdded: number;
  errors: { row: number; column: string | null; message: string }[];
  warnings: { row: number; column: string | null; message: string }[];
}

function BodyImportResult({ report }: { report: BodyImportReport }) {
  const ok = report.errors.length === 0;
  return (
    <div role="status">
      <p class={`notice ${ok ? 'ok' : 'error'}`}>
        {ok
          ? `${report.dryRun ? '检查通过（未写入）：将' : '已导入：'}新增 ${report.created} 个主体，${report.unchanged} 个已有保持不变，新增别名 ${report.aliasesAdded} 个。`
          : `文件有 ${report.errors.length} 处错误，未写入任何主体。请修改后重新上传。`}
      </p>
      {(report.errors.length > 0 || report.warnings.length > 0) && (
        <ProblemTable
          label="主体导入的错误和提示"
          lead="类型"
          problems={[...report.errors.map((p) => ({ ...p, lead: '错误', tone: 'error' as const })), ...report.warnings.map((p) => ({ ...p, lead: '提示', tone: 'warning' as const }))]}
        />
      )}
    </div>
  );
}

export function SynonymsPage({ view, synonyms, done, errors, values }: { view: ConsoleView; synonyms: SearchSynonymEntity[]; done?: string; errors?: FormErrors; values?: Record<string, string> }) {
  return (
    <ConsolePage view={view} title="同义词">
      <h1>同义词</h1>
      <p class="small muted">群众的口语说法对应清单中的规范用语，用于“这件事归谁管”的查询，保存后立即生效。</p>
      <Flash done={done} />
      <section class="card" aria-labelledby="new-synonym">
        <h2 id="new-synonym">新增或修改</h2>
        <FormError errors={errors} fields={['term', 'expansions']} />
        <form class="stack" method="post" action="/console/synonyms">
          <Csrf view={view} />
          <TextField name="term" label="口语说法" value={values?.term} errors={errors} required />
          <TextField name="expansions" label="规范用语" hint="多个用“、”分隔" value={values?.expansions} errors={errors} required />
          <div>
            <button type="submit">保存</button>
          </div>
        </form>
      </section>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="同义词列表">
        <table>
          <thead>
            <tr>
              <th scope="col">口语说法</th>
              <th scope="col">规范用语</th>
              <th scope="col">删除</th>
            </tr>
          </thead>
          <tbody>
            {synonyms.map((s) => (
              <tr>
                <td>{s.term}</td>
                <td>{s.expansions.join('、')}</td>
                <td>
                  <form method="post" action="/console/synonyms/remove" class="inline-form">
                    <Csrf view={view} />
                    <input type="hidden" name="term" value={s.term} />
                    <button type="submit" class="secondary small-button" aria-label={`删除同义词 ${s.term}`}>
                      删除
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ConsolePage>
  );
}

export interface ChainResult {
  events: number;
  headSeq: number;
  headHash: string | null;
  broken: { seq: number; problem: string } | null;
}

const BREAK_LABEL: Record<string, string> = { MISSING: '记录缺失', HASH_MISMATCH: '内容与哈希不符', PREVIOUS_HASH_MISMATCH: '与上一条记录的哈希不衔接' };

const ENTITY_TYPES: [string, string][] = [
  ['ListVersion', '清单版本'],
  ['Body', '主体'],
  ['User', '用户'],
  ['SearchSynonym', '同义词'],
];

export function AuditPage({
  view,
  type,
  id,
  events,
  error,
  chain,
}: {
  view: ConsoleView;
  type: string;
  id: string;
  events: AuditEventEntity[] | null;
  error?: string;
  chain: ChainResult | null;
}) {
  return (
    <ConsolePage view={view} title="审计记录">
      <h1>审计记录</h1>
      <p class="small muted">每一次修改都记入审计链：每条记录含上一条的哈希值，任何事后篡改都会使校验失败。</p>
      <form class="stack" method="get" action="/console/audit">
        <Select name="type" label="对象类型" options={ENTITY_TYPES} value={type} id="f-type" />
        <TextField name="id" label="对象编号" hint="清单版本、主体、用户的编号，或同义词本身" value={id} errors={error ? { id: error } : undefined} />
        <div>
          <button type="submit" class="secondary">查看记录</button>
        </div>
      </form>
      <section class="card" aria-labelledby="chain-title">
        <h2 id="chain-title">校验审计链</h2>
        <form method="get" action="/console/audit">
          <input type="hidden" name="type" value={type} />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="verify" value="1" />
          <button type="submit">校验审计链</button>
        </form>
        {chain && (
          <div class={`notice ${chain.broken ? 'error' : 'ok'}`} role="status">
            {chain.broken ? (
              <p>
                审计链在第 {chain.broken.seq} 条记录处断裂（{BREAK_LABEL[chain.broken.problem] ?? chain.broken.problem}）：其后的记录不能证明未被篡改。
              </p>
            ) : (
              <p>审计链完整：共 {chain.events} 条记录，逐条校验通过。</p>
            )}
            <p>
              链头：第 {chain.headSeq} 条，哈希 <span class="hash">{chain.headHash ?? '（空）'}</span>
            </p>
          </div>
        )}
      </section>
      {events && (
        <>
          <h2>记录（{events.length}）</h2>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="审计记录">
            <table>
              <thead>
                <tr>
                  <th scope="col">序号</th>
                  <th scope="col">时间</th>
                  <th scope="col">操作人</th>
                  <th scope="col">操作</th>
                  <th scope="col">内容</th>
                  <th scope="col">哈希</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr>
                    <td class="num">{String(e.seq)}</td>
                    <td>{new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                    <td>
                      {e.actor}
                      {e.actorRole ? `（${ROLE_LABEL[e.actorRole] ?? e.actorRole}）` : ''}
                    </td>
                    <td>{e.action}</td>
                    <td class="small">
                      {e.before !== null && e.before !== undefined && <div>前：{clipJson(e.before)}</div>}
                      {e.after !== null && e.after !== undefined && <div>后：{clipJson(e.after)}</div>}
                    </td>
                    <td class="hash">{e.hash}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ConsolePage>
  );
}

const clipJson = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};
