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
  /** Unique per test file, so parallel files never see each other's jobs. */
  queuePrefix: string;
  storageDir: string;
}

/** Settings for one test file: its database, a unique queue prefix and a temporary storage directory. */
export function createTestSettings(databaseUrl: string): TestSettings {
  return {
    databaseUrl,
    redisUrl: TEST_ENV.redisUrl,
    queuePrefix: `pave-test-${randomBytes(4).toString('hex')}`,
    storageDir: mkdtempSync(path.join(tmpdir(), 'pave-storage-')),
  };
}

/** What the API and the worker of one test file share: its database, Redis, queue prefix and storage. */
function commonTestEnv(settings: TestSettings): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl ?? TEST_ENV.redisUrl,
    QUEUE_PREFIX: settings.queuePrefix,
    STORAGE_DIR: settings.storageDir,
    LOG_LEVEL: 'silent',
  };
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
  return { ...commonTestEnv(settings), OUTBOX_POLL_MS: '200', ...env };
}
