/**
 * `npm run eval:admission [-- --dev | --set <file>] [--misses] [--json]`: starts Quanze on a fresh
 * embedded database with the demo data (or on DATABASE_URL), submits every request of an
 * admission set (test/admission/requests.json by default; `--dev` for the development set) over
 * /admin/graphql as an administrator on the department's behalf, and prints verdict accuracy,
 * item accuracy and flag precision/recall. Departments the demo does not have are created first.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemActor } from '../src/auth/actor.js';
import { UsersService } from '../src/auth/users.service.js';
import { startRegistry } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/config.js';
import { formatAdmissionFigures, loadAdmissionSet, score, type AdmissionCase, type CaseAnswer } from '../test/admission/evaluation.js';

const SUBMIT = `mutation($i: TaskRequestInput!) { submitTaskRequest(input: $i) {
  flags { kind }
  targets { township { code } verdict confidence requesterIsLead matches { itemCode } }
} }`;

/** Party committee departments (市委政法委, 市委宣传部) are 党委部门; the rest are government departments. */
const bodyKind = (name: string) => (/市委|县委|区委/.test(name) ? '党委部门' : '政府部门');

function setName(argv: string[]): string {
  if (argv.includes('--dev')) return 'dev-requests.json';
  const at = argv.indexOf('--set');
  return at >= 0 ? argv[at + 1] : 'requests.json';
}

async function main() {
  const name = setName(process.argv);
  const cases = loadAdmissionSet(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-eval-admission-'));
  const config = loadConfig({ ...process.env, QUANZE_DATA_DIR: dataDir, PORT: '0', QUANZE_DEMO_DATA: 'true', RATE_LIMIT_QUESTIONS_PER_MINUTE: '1000000' });
  const registry = await startRegistry(config, { logger: false });
  const username = `eval-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await registry.app.get(UsersService).createUser(systemActor('eval'), { username, password, role: 'ADMIN' });
  let token = '';
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${registry.url}/admin/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: { message: string }[] };
  };
  const must = async (query: string, variables: Record<string, unknown>) => {
    const r = await gql(query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  try {
    token = (await must('mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }', { u: username, p: password })).login.token;
    const bodyIds = new Map<string, string>();
    const bodyId = async (bodyName: string, county: string) => {
      const key = `${county}|${bodyName}`;
      if (!bodyIds.has(key)) {
        const known = (await must('query($r:String!){ bodies(regionCode:$r){ id name } }', { r: county })).bodies.find((b: any) => b.name === bodyName);
        const id = known?.id ?? (await must('mutation($n:String!,$k:String!,$r:String!){ createBody(name:$n, kind:$k, regionCode:$r){ id } }', { n: bodyName, k: bodyKind(bodyName), r: county })).createBody.id;
        bodyIds.set(key, id);
      }
      return bodyIds.get(key)!;
    };
    const started = Date.now();
    const answers: CaseAnswer[] = [];
    for (const c of cases) answers.push(await submit(c, bodyId, gql));
    const perRequest = (Date.now() - started) / cases.length;
    const figures = score(cases, answers);
    console.log(formatAdmissionFigures(name, figures));
    console.log(`  ${perRequest.toFixed(0)} ms per request over HTTP (check of every target township included)`);
    if (process.argv.includes('--misses')) for (const m of figures.misses) console.log(`  miss: ${m}`);
    if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
  } finally {
    await registry.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function submit(
  c: AdmissionCase,
  bodyId: (name: string, county: string) => Promise<string>,
  gql: (query: string, variables: Record<string, unknown>) => Promise<{ data?: any; errors?: { message: string }[] }>,
): Promise<CaseAnswer> {
  const county = c.targets[0].slice(0, 6);
  const input = {
    issuingBodyId: await bodyId(c.issuingBody, county),
    targetCodes: c.targets,
    title: c.title,
    content: c.content,
    requestedStart: c.requestedStart,
    deadline: c.deadline ?? null,
    // Only the fields the API knows: a set may carry more.
    reporting: {
      frequency: c.reporting.frequency,
      sameDay: c.reporting.sameDay ?? false,
      forms: c.reporting.forms ?? [],
      photos: c.reporting.photos ?? false,
      meetings: c.reporting.meetings ?? false,
      responsibilityLetter: c.reporting.responsibilityLetter ?? false,
      assessmentWeight: c.reporting.assessmentWeight ?? null,
    },
    claimedBasis: c.claimedBasis ?? null,
  };
  const r = await gql(SUBMIT, { i: input });
  if (r.errors || !r.data) return { targets: {}, flags: [], error: r.errors?.map((e) => e.message).join('; ') ?? 'no data' };
  const request = r.data.submitTaskRequest;
  return {
    flags: request.flags.map((f: any) => f.kind),
    targets: Object.fromEntries(
      request.targets.map((t: any) => [
        t.township.code,
        // The deciding item is the first match of a verdict in the lists; NOT_IN_LIST names none (its matches are near misses).
        { verdict: t.verdict, confidence: t.confidence, requesterIsLead: t.requesterIsLead, itemCodes: t.verdict === 'NOT_IN_LIST' ? [] : t.matches.map((m: any) => m.itemCode) },
      ]),
    ),
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
