import { rateLimited } from '@pave/shared';
import type { RedisConnection } from '../queue/queue';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets, for `Retry-After`. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process. Fails open: when Redis is away,
 * accepting a report matters more than limiting it.
 */
export async function hitRateLimits(
  redis: RedisConnection,
  prefix: string,
  limits: { key: string; max: number; windowSeconds: number }[],
): Promise<RateLimitResult> {
  // Redis known to be away (it was connected, then lost): do not queue the counters behind its
  // reconnection, which held every report for 2–4 s. Still connecting at start-up: wait for it.
  if (redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end') {
    return { allowed: true, retryAfterSeconds: 0 };
  }
  try {
    // One MULTI over several counters: on a Redis Cluster it works only because the prefix is a hash tag
    // (config/env.ts refuses any other there); a CROSSSLOT refusal would land in the catch and fail open.
    const multi = redis.multi();
    for (const limit of limits) {
      const key = `${prefix}:ratelimit:${limit.key}`;
      multi.incr(key);
      multi.expire(key, limit.windowSeconds, 'NX');
      multi.ttl(key);
    }
    const results = (await multi.exec()) ?? [];
    let retryAfterSeconds = 0;
    limits.forEach((limit, i) => {
      const count = Number(results[i * 3]?.[1] ?? 0);
      const ttl = Number(results[i * 3 + 2]?.[1] ?? limit.windowSeconds);
      if (count > limit.max) retryAfterSeconds = Math.max(retryAfterSeconds, ttl > 0 ? ttl : limit.windowSeconds);
    });
    return { allowed: retryAfterSeconds === 0, retryAfterSeconds };
  } catch {
    return { allowed: true, retryAfterSeconds: 0 };
  }
}

/**
 * Counts one hit against each limit, and throws a 429 `RATE_LIMITED` (with its Retry-After) when any
 * is exceeded. `message` tells the client what was too frequent.
 */
export async function enforceRateLimits(
  redis: RedisConnection,
  prefix: string,
  limits: { key: string; max: number; windowSeconds: number }[],
  message: string,
): Promise<void> {
  const verdict = await hitRateLimits(redis, prefix, limits);
  if (!verdict.allowed) throw rateLimited(message, verdict.retryAfterSeconds);
}
