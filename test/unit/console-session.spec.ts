import type { QuanzeConfig } from '../../src/config/config.js';
import { safeNext } from '../../src/web/console/console-access.js';
import { ConsoleSessions, PendingUploads, readCookie } from '../../src/web/console/console-session.js';

const config = { consoleIdleSeconds: 1800, jwtSecret: 'a-jwt-secret-of-at-least-thirty-two-characters' } as QuanzeConfig;

describe('console sessions', () => {
  it('end after the idle timeout, and each request restarts the clock', () => {
    const sessions = new ConsoleSessions(config);
    const s = sessions.create('token', 'editor', 0);
    expect(sessions.touch(s.id, 1799_000)).toBe(s);
    expect(sessions.touch(s.id, 1799_000 + 1800_000)).toBe(s);
    expect(sessions.touch(s.id, 1799_000 + 3600_001)).toBe('expired');
    expect(sessions.touch(s.id, 1799_000 + 3600_002)).toBeNull();
  });

  it('end on sign-out; an unknown id is no session', () => {
    const sessions = new ConsoleSessions(config);
    const s = sessions.create('token', 'editor');
    sessions.end(s.id);
    expect(sessions.touch(s.id)).toBeNull();
    expect(sessions.touch('made-up')).toBeNull();
    expect(sessions.touch(undefined)).toBeNull();
  });

  it('have random ids of 256 bits', () => {
    const sessions = new ConsoleSessions(config);
    const a = sessions.create('t', 'u').id;
    const b = sessions.create('t', 'u').id;
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
  });
});

describe('console CSRF tokens', () => {
  const sessions = new ConsoleSessions(config);

  it('are bound to the session (or pre-session) they were made for', () => {
    const token = sessions.csrfToken('session-a');
    expect(sessions.csrfValid('session-a', token)).toBe(true);
    expect(sessions.csrfValid('session-b', token)).toBe(false);
    expect(sessions.csrfValid(undefined, token)).toBe(false);
  });

  it('refuse a missing, empty, truncated or non-text token', () => {
    const token = sessions.csrfToken('session-a');
    for (const bad of [undefined, '', token.slice(1), `${token}x`, ['x'], 42]) expect(sessions.csrfValid('session-a', bad)).toBe(false);
  });

  it('depend on the secret', () => {
    const other = new ConsoleSessions({ ...config, jwtSecret: 'another-secret-of-at-least-thirty-two-chars' });
    expect(other.csrfToken('session-a')).not.toBe(sessions.csrfToken('session-a'));
  });
});

describe('pending uploads', () => {
  it('are taken once, by their own session and id, within 30 minutes', () => {
    const uploads = new PendingUploads();
    const u = uploads.keep({ sessionId: 's1', regionCode: '320282101000', kind: 'RESPONSIBILITY', fileName: 'a.xlsx', content: Buffer.from('x'), changeReason: null }, 0);
    expect(uploads.take('s2', u.id, 1)).toBeNull();
    expect(uploads.take('s1', 'other', 1)).toBeNull();
    expect(uploads.take('s1', u.id, 1)).toBe(u);
    expect(uploads.take('s1', u.id, 2)).toBeNull();
    const late = uploads.keep({ ...u, sessionId: 's1' }, 0);
    expect(uploads.take('s1', late.id, 30 * 60 * 1000 + 1)).toBeNull();
  });
});

describe('after sign-in', () => {
  it('follows only paths of the console', () => {
    expect(safeNext('/console/versions/1?x=1')).toBe('/console/versions/1?x=1');
    expect(safeNext('/console')).toBe('/console');
    for (const bad of ['https://evil.example/', '//evil.example/console', '/console//evil', '/consolex', '/console/\\evil', '/graphql', 42, undefined])
      expect(safeNext(bad)).toBe('/console');
  });

  it('reads cookies without cookie-parser', () => {
    const req = { headers: { cookie: 'a=1; qz_console=abc%3D; b=2' } } as never;
    expect(readCookie(req, 'qz_console')).toBe('abc=');
    expect(readCookie(req, 'missing')).toBeUndefined();
  });
});
