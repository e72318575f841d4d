import type { RedisConnection } from '../queue/queue';
import type { Pool } from '../db/pool';
import { pingPostgis } from './health.repo';

export interface Health {
  status: 'ok' | 'degraded';
  postgres: 'up' | 'down';
  redis: 'up' | 'down';
}

const CHECK_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** Pings PostgreSQL (and PostGIS) and Redis, each bounded by a short timeout. */
export async function checkHealth(db: Pool, redis: RedisConnection): Promise<Health> {
  const [postgres, redisUp] = await Promise.all([
    withTimeout(pingPostgis(db)).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
    withTimeout(redis.ping()).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
  ]);
  return { status: postgres === 'up' && redisUp === 'up' ? 'ok' : 'degraded', postgres, redis: redisUp };
}
