import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadApiConfig, type ApiConfig } from '../../apps/api/src/config';
import { loadWorkerConfig, type WorkerConfig } from '../../apps/worker/src/config';
import { TEST_ENV } from './env';

export interface TestSettings {
  databaseUrl: string;
  redisUrl?: string;
  /** The Redis Cluster's seed nodes (REDIS_CLUSTER_NODES), when the file runs on the cluster. */
  redisClusterNodes?: string;
  /** Unique per test file, so parallel files never see each other's jobs; a hash tag, as on a cluster. */
  queuePrefix: string;
  storageDir: string;
}

/**
 * Settings for one test file: its database, a unique queue prefix and a temporary storage directory;
 * with `redisCluster`, the Redis Cluster of `bootstrap.sh --with-redis-cluster` instead of one Redis.
 */
export function createTestSettings(databaseUrl: string, options: { redisCluster?: boolean } = {}): TestSettings {
  return {
    databaseUrl,
    redisUrl: TEST_ENV.redisUrl,
    ...(options.redisCluster ? { redisClusterNodes: TEST_ENV.redisClusterNodes } : {}),
    queuePrefix: `{pave-test-${randomBytes(4).toString('hex')}}`,
    storageDir: mkdtempSync(path.join(tmpdir(), 'pave-storage-')),
  };
}

/** What the API and the worker of one test file share: its database, Redis, queue prefix and storage. */
function commonTestEnv(settings: TestSettings): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl ?? TEST_ENV.redisUrl,
    REDIS_CLUSTER_NODES: settings.redisClusterNodes ?? '',
    QUEUE_PREFIX: settings.queuePrefix,
    STORAGE_DIR: settings.storageDir,
    LOG_LEVEL: 'silent',
    // JSON lines even when a developer runs the tests in a terminal: tests read and capture them.
    LOG_PRETTY: 'false',
  };
}

/** The Redis of a test file, as the connection factories of packages/core/src/queue take it. */
export function testRedisTarget(settings: TestSettings): { REDIS_URL: string; REDIS_CLUSTER_NODES: string } {
  return { REDIS_URL: settings.redisUrl ?? TEST_ENV.redisUrl, REDIS_CLUSTER_NODES: settings.redisClusterNodes ?? '' };
}

export function testApiConfig(settings: TestSettings, env: Record<string, string> = {}): ApiConfig {
  return loadApiConfig(testApiEnv(settings, env));
}

/** The environment of a test API, as variables: for an API started as a process of its own. */
export function testApiEnv(settings: TestSettings, env: Record<string, string> = {}): Record<string, string> {
  return {
    ...commonTestEnv(settings),
    WEB_DIST_DIR: '',
    // Tests file many reports from one address; the rate-limit test sets its own limits.
    RATE_LIMIT_REPORTS_PER_IP: '100000',
    RATE_LIMIT_REPORTS_PER_DEVICE: '100000',
    RATE_LIMIT_OPEN311_PER_KEY: '100000',
    GEOCODER_URL: '',
    ...env,
  };
}

export function testWorkerConfig(settings: TestSettings, env: Record<string, string> = {}): WorkerConfig {
  return loadWorkerConfig(testWorkerEnv(settings, env));
}

/** The environment of a test worker, as variables: for a worker started as a process of its own. */
export function testWorkerEnv(settings: TestSettings, env: Record<string, string> = {}): Record<string, string> {
  // Mails go out at once unless a test is about coalescing them (tests/api/mail-coalescing.test.ts).
  return { ...commonTestEnv(settings), OUTBOX_POLL_MS: '200', NOTIFY_COALESCE_MS: '0', ...env };
}
