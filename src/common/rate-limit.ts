import { Inject, Injectable } from '@nestjs/common';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { PUBLIC_ROUTE_CLASSES, QUANZE_CONFIG, type PublicRouteClass, type QuanzeConfig } from '../config/config.js';

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

/** A burst allowance: up to `points` hits beyond the limit, renewed every `windowSeconds`. */
export interface BurstAllowance {
  points: number;
  windowSeconds: number;
}

export type RateLimitCounterFactory = (name: string, points: number, windowSeconds: number, burst?: BurstAllowance) => RateLimitCounter;

/**
 * A counter over any rate-limiter-flexible limiter (memory, PostgreSQL, Redis…); with a second
 * limiter, the library's BurstyRateLimiter: a hit over the limit spends the burst allowance, and is
 * refused only when that is spent too (then Retry-After is the sooner of the two renewals).
 */
export function flexibleCounter(limiter: RateLimiterAbstract, points: number, burst?: RateLimiterAbstract): RateLimitCounter {
  const consumer = burst ? new BurstyRateLimiter(limiter, burst) : limiter;
  const state = (res: RateLimiterRes | null, allowed: boolean): RateLimitState => ({
    consumed: res?.consumedPoints ?? 0,
    allowed,
    retryAfterSeconds: res ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0,
  });
  return {
    async hit(key) {
      try {
        return state(await consumer.consume(key), true);
      } catch (e) {
        if (e instanceof RateLimiterRes) return state(e, false);
        throw e; // the store itself failed
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      return state(res, (res?.consumedPoints ?? 0) <= points);
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
      await burst?.delete(key);
    },
  };
}

export const memoryCounters: RateLimitCounterFactory = (name, points, windowSeconds, burst) =>
  flexibleCounter(
    new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }),
    points,
    burst?.points ? new RateLimiterMemory({ keyPrefix: `${name}-burst`, points: burst.points, duration: burst.windowSeconds }) : undefined,
  );

export const RATE_LIMIT_COUNTERS = Symbol('RATE_LIMIT_COUNTERS');

/** The API's counters, sized from the configuration. */
@Injectable()
export class RateLimits {
  /** requests per client IP, per class of public route (pages, questions, exports), each with its burst allowance */
  readonly publicRoutes: Record<PublicRouteClass, RateLimitCounter>;
  /** requests per user (per IP before login) on /admin/graphql */
  readonly adminRequests: RateLimitCounter;
  /** failed logins per username and IP */
  readonly loginFailures: RateLimitCounter;

  constructor(@Inject(QUANZE_CONFIG) config: QuanzeConfig, @Inject(RATE_LIMIT_COUNTERS) counters: RateLimitCounterFactory) {
    const { requestsPerMinute, loginMaxFailures, loginWindowSeconds, publicRoutes, burstWindowSeconds } = config.api;
    this.publicRoutes = Object.fromEntries(
      PUBLIC_ROUTE_CLASSES.map((c) => [c, counters(`public-${c}`, publicRoutes[c].perMinute, 60, { points: publicRoutes[c].burst, windowSeconds: burstWindowSeconds })]),
    ) as Record<PublicRouteClass, RateLimitCounter>;
    this.adminRequests = counters('admin', requestsPerMinute.admin, 60);
    this.loginFailures = counters('login', loginMaxFailures, loginWindowSeconds);
  }
}
