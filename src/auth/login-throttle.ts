import { Inject, Injectable } from '@nestjs/common';
import { RateLimits } from '../common/rate-limit.js';
import { DomainError } from '../common/domain-error.js';
import { normalizeName } from '../common/text-input.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';

export const rateLimited = (retryAfterSeconds: number, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('RATE_LIMITED', message, { retryAfterSeconds, ...details });

/** Password verifications (Argon2, deliberately slow) running at once for one username, and from one address. */
const VERIFICATIONS_PER_USERNAME = 2;
const VERIFICATIONS_PER_ADDRESS = 4;
/** Logins waiting for a turn, all usernames and addresses together: past this they are refused at once. */
const MAX_WAITING = 200;

/**
 * A few verifications at a time per key; the others wait in arrival order. A waiter is started as
 * soon as every key it needs has room, so one busy username does not hold up another.
 */
class VerificationSlots {
  private readonly running = new Map<string, number>();
  private readonly waiting: { keys: [string, number][]; start: () => void }[] = [];

  async run<T>(keys: [string, number][], work: () => Promise<T>, refuse: () => Error): Promise<T> {
    if (!this.fits(keys)) {
      if (this.waiting.length >= MAX_WAITING) throw refuse();
      await new Promise<void>((start) => this.waiting.push({ keys, start }));
    } else this.take(keys, 1);
    try {
      return await work();
    } finally {
      this.take(keys, -1);
      for (let i = 0; i < this.waiting.length; ) {
        const next = this.waiting[i];
        if (!this.fits(next.keys)) i++;
        else {
          this.waiting.splice(i, 1);
          this.take(next.keys, 1);
          next.start();
        }
      }
    }
  }

  private fits(keys: [string, number][]): boolean {
    return keys.every(([key, max]) => (this.running.get(key) ?? 0) < max);
  }

  private take(keys: [string, number][], delta: number): void {
    for (const [key] of keys) {
      const n = (this.running.get(key) ?? 0) + delta;
      if (n) this.running.set(key, n);
      else this.running.delete(key);
    }
  }
}

/**
 * Guessing passwords: failed logins are counted per username (as a login compares it: NFKC, no
 * invisible characters, any case) and client IP. Every attempt first reserves its place in the count
 * (an atomic increment), then the password is verified, and a success gives the place back and
 * clears the count — so attempts made at the same moment cannot all pass a check made before any of
 * them failed. An attempt whose reservation is past LOGIN_MAX_FAILURES within
 * LOGIN_FAILURE_WINDOW_SECONDS, and the failure that reaches it, are answered 429 RATE_LIMITED with
 * Retry-After, the first without verifying the password. Verifications also run at most two at a
 * time per username and four per address; the others wait their turn.
 */
@Injectable()
export class LoginThrottle {
  private readonly slots = new VerificationSlots();
  /** Attempts in flight per counter key: a success clears the count only when it was alone. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: RateLimits,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  async attempt<T>(username: string, ip: string, login: () => Promise<T>): Promise<T> {
    const user = normalizeName(String(username).slice(0, 100)).toLowerCase();
    const key = `${user}|${ip}`;
    const busy = () => rateLimited(1, '登录请求过多，请稍后再试');
    return this.slots.run([[`user:${user}`, VERIFICATIONS_PER_USERNAME], [`ip:${ip}`, VERIFICATIONS_PER_ADDRESS]], () => this.verify(key, login), busy);
  }

  private async verify<T>(key: string, login: () => Promise<T>): Promise<T> {
    const max = this.config.api.loginMaxFailures;
    const reserved = await this.limits.loginFailures.hit(key);
    if (reserved.consumed > max) throw this.refusal(reserved.retryAfterSeconds);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      const result = await login();
      if (this.inFlight.get(key) === 1) await this.limits.loginFailures.reset(key);
      else await this.limits.loginFailures.refund(key);
      return result;
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'UNAUTHENTICATED')) await this.limits.loginFailures.refund(key);
      else if (reserved.consumed >= max) throw this.refusal(reserved.retryAfterSeconds);
      throw e;
    } finally {
      const n = this.inFlight.get(key)! - 1;
      if (n) this.inFlight.set(key, n);
      else this.inFlight.delete(key);
    }
  }

  private refusal(retryAfterSeconds: number) {
    const { loginMaxFailures: max, loginWindowSeconds: window } = this.config.api;
    return rateLimited(retryAfterSeconds, `登录失败次数过多（${window}秒内${max}次），请${retryAfterSeconds}秒后再试`, {
      setting: 'LOGIN_MAX_FAILURES',
      max,
    });
  }
}
