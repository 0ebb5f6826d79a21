import { Inject, Injectable } from '@nestjs/common';
import { RateLimits } from '../common/rate-limit.js';
import { DomainError } from '../common/domain-error.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';

export const rateLimited = (retryAfterSeconds: number, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('RATE_LIMITED', message, { retryAfterSeconds, ...details });

/**
 * Guessing passwords: failed logins are counted per username and client IP. The failure that
 * reaches LOGIN_MAX_FAILURES within LOGIN_FAILURE_WINDOW_SECONDS, and every attempt after it
 * until the window ends, is answered 429 RATE_LIMITED with Retry-After — without checking the
 * password, so guessing stops paying. A successful login counts nothing and clears the count.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly limits: RateLimits,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  async attempt<T>(username: string, ip: string, login: () => Promise<T>): Promise<T> {
    const key = `${String(username).slice(0, 100).trim().toLowerCase()}|${ip}`;
    const max = this.config.api.loginMaxFailures;
    const before = await this.limits.loginFailures.peek(key);
    if (before.consumed >= max) throw this.refusal(before.retryAfterSeconds);
    try {
      const result = await login();
      if (before.consumed > 0) await this.limits.loginFailures.reset(key);
      return result;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') {
        const after = await this.limits.loginFailures.hit(key);
        if (after.consumed >= max) throw this.refusal(after.retryAfterSeconds);
      }
      throw e;
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
