import type { ComponentChildren } from 'preact';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { Layout, type NavLink } from '../layout.js';
import type { WebAssets } from '../web-assets.js';
import { CSRF_FIELD } from './console-session.js';

export const CONSOLE_HOME = { href: '/console', label: '权责清单管理' };

export const ROLE_LABEL: Record<string, string> = {
  ADMIN: '系统管理员',
  EDITOR: '清单编辑',
  REVIEWER: '合法性审核',
  TOWNSHIP: '乡镇用户',
  DEPARTMENT: '部门用户',
};

/** What every console page knows: who is signed in, and the token its forms carry. */
export interface ConsoleView {
  assets: WebAssets;
  actor: Actor | null;
  csrf: string;
}

function consoleNav(actor: Actor | null): NavLink[] {
  if (!actor) return [];
  const nav: NavLink[] = [{ href: '/console', label: '概览' }];
  nav.push({ href: '/console/bodies', label: '主体目录' });
  nav.push({ href: '/console/catalogue', label: '法规目录' });
  if (can(actor, Permission.EDIT_LISTS)) nav.push({ href: '/console/questions', label: '群众提问' });
  if (can(actor, Permission.MANAGE_CATALOGUE)) nav.push({ href: '/console/synonyms', label: '同义词' });
  if (can(actor, Permission.MANAGE_USERS)) nav.push({ href: '/console/users', label: '用户' });
  if (can(actor, Permission.READ_AUDIT)) nav.push({ href: '/console/audit', label: '审计' });
  if (can(actor, Permission.CHANGE_OWN_PASSWORD)) nav.push({ href: '/console/password', label: '修改密码' });
  nav.push({ href: '/', label: '公众查询' });
  return nav;
}

/** A console page: the site's frame, the console's navigation, who is signed in and the sign-out button. */
export function ConsolePage({ view, title, children }: { view: ConsoleView; title: string; children: ComponentChildren }) {
  return (
    <Layout title={title} stylesheet={view.assets.url('site.css')} nav={consoleNav(view.actor)} home={CONSOLE_HOME} scripts={[view.assets.url('console.js')]}>
      {view.actor && (
        <div class="user-bar small">
          <span>
            已登录：{view.actor.username}（{ROLE_LABEL[view.actor.role ?? ''] ?? view.actor.role}
            {view.actor.regionCode ? `，区划 ${view.actor.regionCode}` : ''}）
          </span>
          <form method="post" action="/console/sign-out" class="inline-form">
            <Csrf view={view} />
            <button type="submit" class="secondary small-button">
              退出登录
            </button>
          </form>
        </div>
      )}
      {children}
    </Layout>
  );
}

/** The hidden CSRF field every console form carries. */
export function Csrf({ view }: { view: ConsoleView }) {
  return <input type="hidden" name={CSRF_FIELD} value={view.csrf} />;
}

/** Refusals of a form, by field ('' for the form as a whole). */
export type FormErrors = Record<string, string>;

/** A refusal next to its field, announced to screen readers (the field points at it with aria-describedby). */
export function FieldError({ errors, field, id }: { errors?: FormErrors; field: string; id?: string }) {
  const message = errors?.[field];
  if (!message) return null;
  return (
    <p class="field-error" id={id ?? `${field}-error`} role="alert">
      {message}
    </p>
  );
}

/** The form's refusal that names no field of it (a conflict, a refused state change). */
export function FormError({ errors, fields }: { errors?: FormErrors; fields: string[] }) {
  if (!errors) return null;
  const rest = Object.entries(errors).filter(([f]) => !fields.includes(f));
  if (!rest.length) return null;
  return (
    <div class="notice error" role="alert">
      {rest.map(([, m]) => (
        <p>{m}</p>
      ))}
    </div>
  );
}

export const describedBy = (errors: FormErrors | undefined, field: string) => (errors?.[field] ? `${field}-error` : undefined);

/** One labelled text input with its refusal. */
export function TextField(props: {
  name: string;
  label: string;
  value?: string | null;
  errors?: FormErrors;
  hint?: string;
  type?: 'text' | 'date' | 'password';
  required?: boolean;
  multiline?: boolean;
  autocomplete?: string;
  id?: string;
}) {
  const id = props.id ?? `f-${props.name}`;
  const invalid = !!props.errors?.[props.name];
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
  };
  return (
    <div>
      <label for={id}>
        {props.label} {props.hint && <span class="hint">{props.hint}</span>}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={4}>
          {props.value ?? ''}
        </textarea>
      ) : (
        // Preact types an input by its `type`; this one is text, date or password.
        <input {...({ ...common, type: props.type ?? 'text', value: props.value ?? '', autocomplete: props.autocomplete } as Record<string, unknown>)} />
      )}
      <FieldError errors={props.errors} field={props.name} id={`${id}-error`} />
    </div>
  );
}

/** A flash message after a redirect (POST-redirect-GET): fixed texts chosen by a key in the query, never text from the URL. */
export const DONE_MESSAGES: Record<string, string> = {
  signedOut: '已退出登录。',
  expired: '长时间未操作，登录已失效，请重新登录。',
  draftCreated: '草稿已创建。',
  imported: '已按导入文件创建草稿。',
  saved: '事项已保存。',
  unchanged: '内容没有变化，未保存。',
  removed: '事项已从草稿中删除。',
  submitted: '已提交审核。',
  approved: '已审核通过。',
  rejected: '已退回修改。',
  published: '已发布。',
  discarded: '草稿已撤销。',
  userCreated: '用户已创建。',
  userUpdated: '用户已修改。',
  passwordReset: '密码已重置，该用户需用新密码重新登录。',
  bodyCreated: '主体已登记。',
  bodyRenamed: '主体已改名。',
  bodiesMerged: '主体已合并。',
  aliasAdded: '别名已登记。',
  aliasRemoved: '别名已删除。',
  gateReasonRecorded: '理由已登记。',
  gateReasonCleared: '理由已撤销。',
  synonymSaved: '同义词已保存。',
  synonymRemoved: '同义词已删除。',
  passwordChanged: '密码已修改。其他地方的登录已失效。',
  questionMapped: '提问已处理。',
};

export function Flash({ done }: { done?: string }) {
  const message = done ? DONE_MESSAGES[done] : undefined;
  return message ? (
    <p class="notice ok" role="status">
      {message}
    </p>
  ) : null;
}

/** The file field, the "check only" box, the button and the progress note of an import form (multipart, `data-progress`). */
export function UploadFields({ id, label, hint, errors, multiple }: { id: string; label: string; hint?: string; errors?: FormErrors; multiple?: boolean }) {
  const invalid = !!errors?.file;
  return (
    <>
      <div>
        <label for={id}>
          {label} {hint && <span class="hint">{hint}</span>}
        </label>
        <input
          id={id}
          name="file"
          type="file"
          accept=".xlsx,.csv"
          multiple={multiple}
          required
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
        />
        <FieldError errors={errors} field="file" id={`${id}-error`} />
      </div>
      <div>
        <label class="inline-label">
          <input type="checkbox" name="dryRun" value="true" /> 只检查，不写入
        </label>
      </div>
      <div>
        <button type="submit">导入</button>
      </div>
      <div data-progress-status hidden role="status">
        <progress aria-label="上传进度" />
        <span />
      </div>
    </>
  );
}

/** The problems of an imported file, one row each: what the first column says (kind, or sheet), the row, the column, the message. */
export function ProblemTable({
  label,
  lead,
  problems,
}: {
  label: string;
  lead: string;
  problems: { lead: string; row: number; column: string | null; message: string; tone?: 'error' | 'warning' }[];
}) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class="problems">
        <thead>
          <tr>
            <th scope="col">{lead}</th>
            <th scope="col">行</th>
            <th scope="col">列</th>
            <th scope="col">说明</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr class={p.tone ? `problem-${p.tone}` : undefined}>
              <td>{p.lead}</td>
              <td class="num">{p.row}</td>
              <td>{p.column ?? '—'}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
