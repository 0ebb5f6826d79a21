import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { startRegistry, type RunningRegistry } from '../../src/bootstrap.js';
import { cloneTestDatabase, TEST_ADMIN, testConfig, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

/** A running Quanze on its own cloned database, spoken to over HTTP like any client. */
export interface TestApp {
  url: string;
  engine: 'embedded' | 'postgres';
  db: TestDatabase;
  dataSource: DataSource;
  registry: RunningRegistry;
  adminToken: string;
  publicGql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  adminGql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  login(username: string, password: string): Promise<string>;
  /** Creates a user through the API (as the test admin) and returns its token; `extra` adds input fields (bodyId). */
  createUser(username: string, role: string, regionCode: string | null, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const codeOf = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.code;

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { errors: [{ message: text }] };
  }
  return { status: res.status, ...json };
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await cloneTestDatabase();
  const config = testConfig({ PORT: '1', ...env });
  let registry: RunningRegistry;
  try {
    registry = await startRegistry(config, { database: { url: db.url, engine: db.engine }, listen: false, logger: false });
  } catch (e) {
    await db.drop();
    throw e;
  }
  return serveTestApp(registry, db);
}

/**
 * A started registry served on a free port, with the test admin logged in; `close()` stops it
 * and drops `db`. For tests that start the registry themselves (e.g. with read replicas).
 */
export async function serveTestApp(registry: RunningRegistry, db: TestDatabase): Promise<TestApp> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = registry.app.getHttpServer().listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const adminGql = (query: string, variables: Record<string, unknown> = {}, token?: string | null) =>
    post(`${url}/admin/graphql`, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  const login = async (username: string, password: string) => {
    const r = await adminGql('mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }', { u: username, p: password });
    if (!r.data?.login?.token) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
    return r.data.login.token as string;
  };
  const adminToken = await login(TEST_ADMIN.username, TEST_ADMIN.password);
  return {
    url,
    engine: db.engine,
    db,
    registry,
    dataSource: registry.app.get<DataSource>(getDataSourceToken()),
    adminToken,
    publicGql: (query, variables = {}) => post(`${url}/graphql`, { query, variables }),
    adminGql: (query, variables = {}, token = adminToken) => adminGql(query, variables, token),
    login,
    async createUser(username, role, regionCode, extra = {}) {
      const password = `${username}-password-1`;
      const r = await adminGql('mutation($i:UserInput!){ createUser(input:$i){ id } }', { i: { username, password, role, regionCode, ...extra } }, adminToken);
      if (!r.data?.createUser) throw new Error(`createUser ${username} failed: ${JSON.stringify(r.errors)}`);
      return login(username, password);
    },
    async close() {
      await new Promise((r) => server.close(r));
      await registry.stop();
      await db.drop();
    },
  };
}
