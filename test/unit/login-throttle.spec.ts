// Password guessing in parallel: every attempt reserves its place in the failed-login count before
// the password is verified, so a burst cannot slip past the limit while the first guesses are being
// checked; and verifications per username and per address run a few at a time.
import { memoryCounters, RateLimits } from '../../src/common/rate-limit.js';
import { LoginThrottle } from '../../src/auth/login-throttle.js';
import { unauthenticated } from '../../src/common/domain-error.js';
import { loadConfig } from '../../src/config/config.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAX = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function throttle() {
  const config = loadConfig({ QUANZE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-unit-')), JWT_SECRET: 'x'.repeat(40), LOGIN_MAX_FAILURES: String(MAX) });
  return new LoginThrottle(new RateLimits(config, memoryCounters), config);
}

/** A password check that takes a while, like Argon2, and counts how often it ran and how many ran at once. */
function verifier(rightPassword: string) {
  const stats = { verified: 0, running: 0, mostAtOnce: 0 };
  const login = (password: string) => async () => {
    stats.verified++;
    stats.running++;
    stats.mostAtOnce = Math.max(stats.mostAtOnce, stats.running);
    await sleep(10);
    stats.running--;
    if (password !== rightPassword) throw unauthenticated('用户名或密码错误');
    return 'token';
  };
  return { stats, login };
}
const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code ?? 'ERROR');

describe('failed-login limit under concurrency', () => {
  it('30 wrong passwords at once: at most the limit are verified, the rest refused RATE_LIMITED', async () => {
    const t = throttle();
    const { stats, login } = verifier('right-password');
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(t.attempt('victim', '10.0.0.1', login(`wrong-${i}`)))));
    expect(stats.verified).toBeLessThanOrEqual(MAX);
    expect(results.filter((r) => r === 'UNAUTHENTICATED').length).toBe(MAX - 1);
    expect(results.filter((r) => r === 'RATE_LIMITED').length).toBe(30 - (MAX - 1));
  });

  it('four failures, then 29 wrong and the right one at once: one verification at most is left', async () => {
    const t = throttle();
    const { stats, login } = verifier('right-password');
    for (let i = 0; i < MAX - 1; i++) await outcome(t.attempt('victim', '10.0.0.1', login('wrong')));
    stats.verified = 0;
    await Promise.all([...Array.from({ length: 29 }, () => 'wrong'), 'right-password'].map((p) => outcome(t.attempt('victim', '10.0.0.1', login(p)))));
    expect(stats.verified).toBeLessThanOrEqual(1);
  });

  it('the username is compared as a login compares it (case, full-width letters, invisible characters)', async () => {
    const t = throttle();
    const { stats, login } = verifier('right-password');
    const spellings = ['victim', 'Victim', 'VICTIM', 'ｖｉｃｔｉｍ', 'vic\u200btim'];
    await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(t.attempt(spellings[i % spellings.length], '10.0.0.1', login('wrong')))));
    expect(stats.verified).toBeLessThanOrEqual(MAX);
  });

  it('verifications run a few at a time per username and per address; the others wait their turn and are all answered', async () => {
    const t = throttle();
    const sameUser = verifier('right-password');
    const users = await Promise.all(Array.from({ length: 12 }, () => outcome(t.attempt('clerk', '10.0.0.2', sameUser.login('right-password')))));
    expect(users).toEqual(Array(12).fill('OK'));
    expect(sameUser.stats.mostAtOnce).toBeLessThanOrEqual(2);

    const sameAddress = verifier('right-password');
    const office = await Promise.all(Array.from({ length: 12 }, (_, i) => outcome(t.attempt(`clerk-${i}`, '10.0.0.3', sameAddress.login('right-password')))));
    expect(office).toEqual(Array(12).fill('OK'));
    expect(sameAddress.stats.mostAtOnce).toBeLessThanOrEqual(4);
  });

  it('a success clears the failures of its username and address; a failure that is not a wrong password counts nothing', async () => {
    const t = throttle();
    const { login } = verifier('right-password');
    for (let i = 0; i < MAX - 1; i++) expect(await outcome(t.attempt('victim', '10.0.0.1', login('wrong')))).toBe('UNAUTHENTICATED');
    expect(await outcome(t.attempt('victim', '10.0.0.1', login('right-password')))).toBe('OK');
    for (let i = 0; i < MAX - 1; i++) expect(await outcome(t.attempt('victim', '10.0.0.1', login('wrong')))).toBe('UNAUTHENTICATED');
    for (let i = 0; i < 10; i++) expect(await outcome(t.attempt('victim', '10.0.0.1', () => Promise.reject(new Error('database down'))))).toBe('ERROR');
    expect(await outcome(t.attempt('victim', '10.0.0.1', login('wrong')))).toBe('RATE_LIMITED');
  });
});
