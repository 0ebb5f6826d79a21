import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';

/** Where a key stands in its window after a hit (or a look). */
export interface RateLimitState {
  /** hits counted in the current window, this one included */
  consumed: number;
  /** whether this hit is within the limit */
  allowed: boolean;
  /** seconds until the window ends and the count starts again */
  retryAfterSeconds: number;
}

/**
 * Counters of hits per key over a fixed window. One process keeps them in memory; several
 * instances share them through a store both can reach — `rate-limiter-flexible`, used here,
 * offers the same limiter over PostgreSQL (RateLimiterPostgres, on the app's own database) and
 * Redis: provide another RATE_LIMIT_COUNTERS factory, nothing else changes.
 */
export interface RateLimitCounter {
  hit(key: string): Promise<RateLimitState>;
  peek(key: string): Promise<RateLimitState>;
  /** Gives one hit back (a reservation that turned out not to count). */
  refund(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export type RateLimitCounterFactory = (name: string, points: number, windowSeconds: number) => RateLimitCounter;

/** A counter over any rate-limiter-flexible limiter (memory, PostgreSQL, Redis…). */
export function flexibleCounter(limiter: RateLimiterAbstract, points: number): RateLimitCounter {
  const state = (res: RateLimiterRes | null): RateLimitState => ({
    consumed: res?.consumedPoints ?? 0,
    allowed: (res?.consumedPoints ?? 0) <= points,
    retryAfterSeconds: res ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0,
  });
  return {
    async hit(key) {
      try {
        return state(await limiter.consume(key));
      } catch (e) {
        if (e instanceof RateLimiterRes) return state(e);
        throw e; // the store itself failed
      }
    },
    async peek(key) {
      return state(await limiter.get(key));
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

export const memoryCounters: RateLimitCounterFactory = (name, points, windowSeconds) =>
  flexibleCounter(new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }), points);

export const RATE_LIMIT_COUNTERS = Symbol('RATE_LIMIT_COUNTERS');

/** The API's three counters, sized from the configuration. */
@Injectable()
export class RateLimits {
  /** requests per client IP on /graphql */
  readonly publicRequests: RateLimitCounter;
  /** requests per user (per IP before login) on /admin/graphql */
  readonly adminRequests: RateLimitCounter;
  /** failed logins per username and IP */
  readonly loginFailures: RateLimitCounter;

  constructor(@Inject(QUANZE_CONFIG) config: QuanzeConfig, @Inject(RATE_LIMIT_COUNTERS) counters: RateLimitCounterFactory) {
    const { requestsPerMinute, loginMaxFailures, loginWindowSeconds } = config.api;
    this.publicRequests = counters('public', requestsPerMinute.public, 60);
    this.adminRequests = counters('admin', requestsPerMinute.admin, 60);
    this.loginFailures = counters('login', loginMaxFailures, loginWindowSeconds);
  }
}
