import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLObjectType,
  type GraphQLInputObjectType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  printSchema,
  type GraphQLField,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ALL_FIELDS } from '../../src/modules/lists/item-fields.js';
import { post, startTestApp, type TestApp } from '../setup/test-app.js';

/**
 * The two printed schemas, introspected over HTTP. Rather than a full snapshot (which every new
 * type would churn), the test asserts what must never happen: admin-only types or operations
 * showing up on the public endpoint (@nestjs/graphql shares one type registry between the two
 * builds, see STACK-NOTES).
 */
const ADMIN_ONLY_TYPES = [
  'AuthPayload', 'User', 'UserInput', 'Role',
  'TaskRequest', 'TaskTarget', 'VerdictMatch', 'TaskRequestInput', 'ReportingRequirementsInput', 'AdmissionConditionsInput', 'AdmissionVerdict',
  'Webhook', 'WebhookRegistration', 'WebhookDelivery', 'WebhookAttempt',
];
const SHARED_TYPES = ['Query', 'Region', 'RegionLevel', 'Body', 'BurdenLedger', 'BurdenLedgerRow', 'BurdenFlagKind', 'CountyMatrix', 'Matter', 'MatrixCell', 'CountyFinding', 'BodyDuties'];

/** Named types reachable from some fields: their arguments and results, recursively. */
function reachableTypes(fields: GraphQLField<unknown, unknown>[]): Set<string> {
  const seen = new Set<string>();
  const queue = fields.flatMap((f) => [f.type, ...f.args.map((a) => a.type)]).map((t) => getNamedType(t));
  while (queue.length) {
    const type = queue.pop()!;
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isObjectType(type) || isInterfaceType(type))
      for (const f of Object.values(type.getFields())) queue.push(getNamedType(f.type), ...f.args.map((a) => getNamedType(a.type)));
    if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) queue.push(getNamedType(f.type));
    if (isUnionType(type)) queue.push(...type.getTypes());
  }
  return seen;
}

describe('the two GraphQL schemas', () => {
  let app: TestApp;
  let publicSchema: GraphQLSchema;
  let adminSchema: GraphQLSchema;

  async function introspect(path: string, token?: string): Promise<GraphQLSchema> {
    const r = await post(`${app.url}${path}`, { query: getIntrospectionQuery() }, token ? { authorization: `Bearer ${token}` } : {});
    expect(r.errors).toBeUndefined();
    return buildClientSchema(r.data as IntrospectionQuery);
  }
  const typeNames = (schema: GraphQLSchema) => Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__'));

  beforeAll(async () => {
    app = await startTestApp();
    publicSchema = await introspect('/graphql');
    adminSchema = await introspect('/admin/graphql', app.adminToken);
  });
  afterAll(() => app?.close());

  it('public: no Mutation type, no admin-only types', () => {
    expect(publicSchema.getMutationType()).toBeFalsy();
    const printed = printSchema(publicSchema);
    expect(printed).not.toMatch(/^type Mutation\b/m);
    expect(typeNames(publicSchema)).toEqual(expect.arrayContaining(SHARED_TYPES));
    for (const name of ADMIN_ONLY_TYPES) {
      expect(typeNames(publicSchema)).not.toContain(name);
      expect(printed).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('public: no type named Admin* (admin-only subtypes are registered in the admin scope)', () => {
    expect(typeNames(publicSchema).filter((n) => /^Admin/.test(n))).toEqual([]);
  });

  it('admin: has the mutations and the admin-only types', () => {
    const mutations = Object.keys(adminSchema.getMutationType()?.getFields() ?? {});
    expect(mutations).toEqual(expect.arrayContaining(['login', 'createUser', 'createBody', 'renameBody']));
    expect(typeNames(adminSchema)).toEqual(expect.arrayContaining([...ADMIN_ONLY_TYPES, ...SHARED_TYPES]));
  });

  it('no admin Mutation field appears anywhere in the public schema', () => {
    const mutations = Object.keys(adminSchema.getMutationType()!.getFields());
    const publicFields = Object.values(publicSchema.getTypeMap())
      .filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !t.name.startsWith('__'))
      .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`));
    expect(publicFields.filter((f) => mutations.includes(f.split('.')[1]))).toEqual([]);
  });

  it('no type that only admin mutations use (their inputs and payloads) is in the public schema', () => {
    const fromMutations = reachableTypes(Object.values(adminSchema.getMutationType()!.getFields()));
    const fromQueries = reachableTypes(Object.values(adminSchema.getQueryType()!.getFields()));
    const mutationOnly = [...fromMutations].filter((n) => !fromQueries.has(n));
    expect(mutationOnly).toEqual(expect.arrayContaining(['AuthPayload', 'User', 'UserInput']));
    expect(mutationOnly.filter((n) => typeNames(publicSchema).includes(n))).toEqual([]);
  });

  it('ListItem and ListItemInput carry exactly the item fields described in item-fields.ts, with their types', () => {
    for (const schema of [publicSchema, adminSchema]) {
      const item = (schema.getType('ListItem') as GraphQLObjectType).getFields();
      for (const f of ALL_FIELDS) expect([f.key, String(item[f.graphqlField]?.type)]).toEqual([f.key, f.codec.graphqlType]);
      expect(Object.keys(item).filter((name) => !ALL_FIELDS.some((f) => f.graphqlField === name))).toEqual(['id']);
    }
    const input = (adminSchema.getType('ListItemInput') as GraphQLInputObjectType).getFields();
    for (const f of ALL_FIELDS.filter((x) => x.inputKey)) expect([f.key, String(input[f.inputKey!]?.type)]).toEqual([f.key, f.codec.inputType]);
    expect(Object.keys(input).filter((name) => !ALL_FIELDS.some((f) => f.inputKey === name))).toEqual([]);
  });

  it('public endpoint refuses mutation operations with HTTP 400, whatever they name', async () => {
    for (const query of ['mutation { createUser(input:{username:"x", password:"xxxxxxxxxxxx", role:ADMIN}) { id } }', 'mutation { __typename }']) {
      const r = await app.publicGql(query);
      expect(r.status).toBe(400);
      expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.data).toBeUndefined();
    }
  });

  it('public endpoint refuses subscriptions as well', async () => {
    const r = await app.publicGql('subscription { __typename }');
    expect(r.status).toBe(400);
  });
});
