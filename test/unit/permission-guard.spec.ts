import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { Endpoint, GraphQLRequestContext } from '../../src/common/graphql-context.js';
import { RequestLoaders } from '../../src/common/request-loaders.js';
import { ANONYMOUS, type Actor } from '../../src/auth/actor.js';
import type { AuthService } from '../../src/auth/auth.service.js';
import { PermissionGuard } from '../../src/auth/permission.guard.js';
import { Permission } from '../../src/auth/permissions.js';
import { RequirePermission } from '../../src/auth/require-permission.decorator.js';
import { DomainError, unauthenticated } from '../../src/common/domain-error.js';

/** A resolver-like class as Nest sees it: methods with and without a declared permission. */
class SampleResolver {
  @RequirePermission(Permission.READ_PUBLISHED)
  regions() {}

  @RequirePermission(Permission.MANAGE_USERS)
  createUser() {}

  @RequirePermission(Permission.LOGIN)
  login() {}

  @RequirePermission(Permission.EDIT_LISTS)
  editList() {}

  /** Forgot its @RequirePermission. */
  undeclared() {}
}

/** A permission on the class covers its methods; a method's own declaration overrides it. */
@RequirePermission(Permission.READ_DRAFTS)
class ClassLevelResolver {
  drafts() {}

  @RequirePermission(Permission.MANAGE_USERS)
  users() {}
}

const EDITOR: Actor = { userId: 'u-editor', username: 'editor', role: 'EDITOR', regionCode: '320282000000' };
const ADMIN: Actor = { userId: 'u-admin', username: 'admin', role: 'ADMIN', regionCode: null };
const TOKENS: Record<string, Actor> = { 'editor-token': EDITOR, 'admin-token': ADMIN };

/** Only what the guard uses of AuthService: the actor a token stands for. */
const auth = {
  actorFromToken: async (token: string) => {
    const actor = TOKENS[token];
    if (!actor) throw unauthenticated('登录凭证无效，请重新登录');
    return actor;
  },
} as unknown as AuthService;

const guard = new PermissionGuard(new Reflector(), auth);

/** The ExecutionContext Nest builds for a GraphQL resolver: args (root, args, context, info). */
function graphqlCall(resolver: { prototype: object }, method: string, endpoint: Endpoint, authorization?: string) {
  const context: GraphQLRequestContext = {
    req: { headers: authorization ? { authorization } : {} } as GraphQLRequestContext['req'],
    endpoint,
    actor: { ...ANONYMOUS },
    loaders: new RequestLoaders(),
  };
  const handler = (resolver.prototype as Record<string, Function>)[method];
  const host = new ExecutionContextHost([{}, {}, context, {}], resolver as never, handler);
  host.setType('graphql');
  return { host, context };
}

async function refusal(call: { host: ExecutionContextHost }): Promise<DomainError> {
  try {
    await guard.canActivate(call.host);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('the guard let the call through');
}

describe('PermissionGuard: deny by default', () => {
  describe('an operation that declares no permission', () => {
    it.each<Endpoint>(['public', 'admin'])('is refused with FORBIDDEN on the %s endpoint', async (endpoint) => {
      expect((await refusal(graphqlCall(SampleResolver, 'undeclared', endpoint))).code).toBe('FORBIDDEN');
    });

    it('is refused even for an ADMIN with a valid token', async () => {
      const call = graphqlCall(SampleResolver, 'undeclared', 'admin', 'Bearer admin-token');
      expect((await refusal(call)).code).toBe('FORBIDDEN');
    });
  });

  describe('public endpoint', () => {
    it('serves public reads anonymously', async () => {
      const call = graphqlCall(SampleResolver, 'regions', 'public');
      await expect(guard.canActivate(call.host)).resolves.toBe(true);
      expect(call.context.actor).toEqual(ANONYMOUS);
    });

    it.each(['createUser', 'login', 'editList'])('refuses the non-public permission of %s with FORBIDDEN, token or not', async (method) => {
      expect((await refusal(graphqlCall(SampleResolver, method, 'public'))).code).toBe('FORBIDDEN');
      expect((await refusal(graphqlCall(SampleResolver, method, 'public', 'Bearer admin-token'))).code).toBe('FORBIDDEN');
    });

    it('refuses a class-level non-public permission', async () => {
      expect((await refusal(graphqlCall(ClassLevelResolver, 'drafts', 'public'))).code).toBe('FORBIDDEN');
    });
  });

  describe('admin endpoint', () => {
    it('lets login through without a token', async () => {
      await expect(guard.canActivate(graphqlCall(SampleResolver, 'login', 'admin').host)).resolves.toBe(true);
    });

    it('wants a token for everything else, public reads included (UNAUTHENTICATED)', async () => {
      expect((await refusal(graphqlCall(SampleResolver, 'regions', 'admin'))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(graphqlCall(SampleResolver, 'createUser', 'admin'))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(graphqlCall(SampleResolver, 'createUser', 'admin', 'Basic dXNlcjpwYXNz'))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(graphqlCall(SampleResolver, 'createUser', 'admin', 'Bearer forged-token'))).code).toBe('UNAUTHENTICATED');
    });

    it('sets the actor from the token and checks the role', async () => {
      const allowed = graphqlCall(SampleResolver, 'editList', 'admin', 'Bearer editor-token');
      await expect(guard.canActivate(allowed.host)).resolves.toBe(true);
      expect(allowed.context.actor).toEqual(EDITOR);
      expect((await refusal(graphqlCall(SampleResolver, 'createUser', 'admin', 'Bearer editor-token'))).code).toBe('FORBIDDEN');
      await expect(guard.canActivate(graphqlCall(SampleResolver, 'createUser', 'admin', 'bearer admin-token').host)).resolves.toBe(true);
    });

    it('takes a class-level permission and lets a method override it', async () => {
      await expect(guard.canActivate(graphqlCall(ClassLevelResolver, 'drafts', 'admin', 'Bearer editor-token').host)).resolves.toBe(true);
      expect((await refusal(graphqlCall(ClassLevelResolver, 'users', 'admin', 'Bearer editor-token'))).code).toBe('FORBIDDEN');
    });
  });

  it('leaves non-GraphQL contexts (REST controllers such as /health) to their own guards', async () => {
    const host = new ExecutionContextHost([{}, {}, {}], SampleResolver as never, SampleResolver.prototype.undeclared);
    host.setType('http');
    await expect(guard.canActivate(host)).resolves.toBe(true);
  });
});
