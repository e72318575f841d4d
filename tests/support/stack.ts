import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  clusterNodesOf,
  createJobQueue,
  createLocalGeocoder,
  createLogger,
  createStorageFromConfig,
  createProducerConnection,
  createTokenSigner,
  type Logger,
  type Pool,
} from '@pave/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Cluster, Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { launchChromium } from './browser';
import { createTestSettings, testApiConfig, testRedisTarget, testWorkerConfig, type TestSettings } from './config';
import { createTestDatabase, waitForReplicaDatabase, type TestDatabase } from './db';
import { signInNewStaff, type ServiceDeps, type SignedInStaff, type StaffAccount } from './factories';
import { startAddressGeocoder, type GeocoderStub } from './geocoder-stub';
import { startTestOidcProvider, type TestOidcProvider } from './oidc';
import { freePort } from './private-redis';
import { createTestBucket, type TestBucket } from './s3';
import { startTestSmtp, type TestSmtp } from './smtp';

export interface StackOptions<Who extends string = never> {
  /** Settings for the API and the worker alike (TOKEN_SECRET, PUBLIC_BASE_URL, WEB_DIST_DIR…); each reads its own. */
  env?: Record<string, string>;
  /** The API app (`buildApp`); on unless `false`, for a worker-only file. */
  api?: boolean;
  /**
   * Listen on a free loopback port (`baseUrl`), for clients other than `app.inject`. The port is picked
   * before the app is built, so `baseUrl` is the API's and the worker's PUBLIC_BASE_URL (links in mails,
   * sign-in redirects) unless `env` names another.
   */
  listen?: boolean;
  /** Serve the built web app (a private copy of apps/web/dist, `webDir`) and listen: for the browser. */
  web?: boolean;
  /** Debian's Chromium (`browser`), for the pages of `support/browser.ts`. */
  browser?: boolean;
  /** A geocoder that knows one address (`support/geocoder-stub.ts`), given to the API as GEOCODER_URL. */
  geocoder?: boolean;
  /** A test OpenID Connect provider (`oidc`), given to the API as the provider `test` (“Test ID”). */
  oidc?: boolean;
  /** A worker runtime on the same database and queue prefix, with its own extra settings if any. */
  worker?: boolean | { env?: Record<string, string>; logger?: Logger };
  /**
   * Where photos live: `local` (the default, a temporary directory) or `s3`, a bucket of the file's own
   * (`bucket`) on the test S3 server, given to the API, the worker and `deps` as STORAGE=s3.
   */
  storage?: 'local' | 's3';
  /** A test SMTP server; its URL is given to the API and the worker as SMTP_URL. */
  smtp?: boolean;
  /**
   * Public reads from the read replica of `bootstrap.sh --with-replica`: the file's database there is
   * given to the API as DATABASE_REPLICA_URL once it exists on the replica.
   */
  replica?: boolean;
  /** A BullMQ producer queue on the stack's prefix, for tests that add or inspect jobs themselves. */
  queue?: boolean;
  /**
   * The API, the worker and `queue` on the 3-node Redis Cluster of `bootstrap.sh --with-redis-cluster`
   * (REDIS_CLUSTER_NODES) instead of the one Redis.
   */
  redisCluster?: boolean;
  /** Staff accounts created and signed in at start, by name: `stack.as(name)` gives their headers. */
  staff?: Record<Who, StaffAccount>;
}

export interface Stack<Who extends string = never> {
  db: TestDatabase;
  /** The test's own pool on its database (`db.pool`). */
  pool: Pool;
  settings: TestSettings;
  /** What the core services take (`createReport(stack.deps, …)`), with the app's token secret. */
  deps: ServiceDeps;
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` when listening. */
  baseUrl: string;
  /** The web app's files as served (`web: true`). */
  webDir: string;
  browser: Browser;
  oidc: TestOidcProvider;
  geocoder: GeocoderStub;
  worker: WorkerRuntime;
  smtp: TestSmtp;
  /** The file's bucket (`storage: 's3'`). */
  bucket: TestBucket;
  queue: Queue;
  /** The signed-in staff named in `staff`. */
  staff: Record<Who, SignedInStaff>;
  /** The headers of a signed-in staff member's requests; none for `anonymous`. */
  as(who: Who | 'anonymous'): Record<string, string>;
  /**
   * Another app on the same database, with other settings on top of the stack's; it has its own queue
   * prefix and storage (so its rate limits are its own), and closes with the stack.
   */
  buildApp(env?: Record<string, string>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

const silent = createLogger({ level: 'silent', name: 'test' });

/**
 * A test file's services: a database cloned from the template, unique settings, and what `options`
 * asks for (the API, listening or not, the web app, a worker, an SMTP server, a geocoder, an OpenID
 * Connect provider, Chromium, signed-in staff, an S3 bucket). `close()` stops it all.
 */
export async function startStack<Who extends string = never>(options: StackOptions<Who> = {}): Promise<Stack<Who>> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const db = await createTestDatabase();
    closers.push(() => db.drop());
    const settings = createTestSettings(db.url, { redisCluster: options.redisCluster });
    closers.push(async () => rmSync(settings.storageDir, { recursive: true, force: true }));
    closers.push(() => dropQueueKeys(settings));
    const parts: Partial<Stack<Who>> = {};
    let env = options.env ?? {};
    if (options.replica) {
      await waitForReplicaDatabase(db.replicaUrl);
      env = { DATABASE_REPLICA_URL: db.replicaUrl, ...env };
    }
    if (options.storage === 's3') {
      const bucket = await createTestBucket();
      closers.push(() => bucket.close());
      parts.bucket = bucket;
      env = { ...bucket.env, ...env };
    }
    if (options.smtp) {
      const smtp = await startTestSmtp();
      closers.push(() => smtp.close());
      parts.smtp = smtp;
      env = { SMTP_URL: smtp.url, ...env };
    }
    const isListening = options.listen || options.web;
    // The port is chosen before the app is built: the API and the worker both need their public address.
    const ownsPublicUrl = !env.PUBLIC_BASE_URL;
    let port = isListening ? await freePort() : 0;
    const usePort = (chosen: number) => {
      port = chosen;
      parts.baseUrl = `http://127.0.0.1:${port}`;
      if (ownsPublicUrl) env = { ...env, PUBLIC_BASE_URL: parts.baseUrl };
    };
    if (isListening) usePort(port);
    if (options.oidc) {
      const oidc = await startTestOidcProvider({ redirectUri: `${parts.baseUrl}/api/me/oidc/test/callback` });
      closers.push(() => oidc.close());
      parts.oidc = oidc;
      env = { OIDC_PROVIDERS: oidc.providersConfig('test', 'Test ID'), ...env };
    }
    if (options.geocoder) {
      const geocoder = await startAddressGeocoder();
      closers.push(() => geocoder.close());
      parts.geocoder = geocoder;
      env = { GEOCODER: 'ban-api', GEOCODER_URL: geocoder.url, ...env };
    }
    if (options.web) {
      // A private copy: a build in this checkout meanwhile (another run) must not pull lazy chunks from under the pages.
      const webDir = mkdtempSync(path.join(tmpdir(), 'pave-web-'));
      closers.push(async () => rmSync(webDir, { recursive: true, force: true }));
      cpSync(path.resolve('apps/web/dist'), webDir, { recursive: true });
      parts.webDir = webDir;
      env = { WEB_DIST_DIR: webDir, ...env };
    }
    const startApp = async (appSettings: TestSettings, extra: Record<string, string> = {}) => {
      const app = await buildApp(testApiConfig(appSettings, { ...env, ...extra }));
      closers.push(() => app.close());
      return app;
    };
    const otherApp = async (extra: Record<string, string> = {}) => {
      const otherSettings = createTestSettings(db.url, { redisCluster: options.redisCluster });
      closers.push(async () => rmSync(otherSettings.storageDir, { recursive: true, force: true }));
      closers.push(() => dropQueueKeys(otherSettings));
      return startApp(otherSettings, extra);
    };
    if (options.api !== false) {
      for (let attempt = 1; ; attempt += 1) {
        const app = await startApp(settings);
        parts.app = app;
        if (!isListening) break;
        try {
          await app.listen({ host: '127.0.0.1', port });
          break;
        } catch (error) {
          // Another process took the port between its choice and now: choose again (the OIDC
          // provider already knows the first address, so it cannot follow).
          const isTaken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
          if (!isTaken || attempt === 3 || options.oidc) throw error;
          await app.close();
          usePort(await freePort());
        }
      }
    }
    if (options.worker) {
      const worker = options.worker === true ? {} : options.worker;
      const runtime = await startWorker(testWorkerConfig(settings, { ...env, ...worker.env }), {
        logger: worker.logger ?? silent,
      });
      closers.push(() => runtime.close());
      parts.worker = runtime;
    }
    if (options.queue) {
      const connection = createProducerConnection(testRedisTarget(settings));
      const queue = createJobQueue(connection, settings.queuePrefix);
      closers.push(async () => {
        await queue.close();
        connection.disconnect();
      });
      parts.queue = queue;
    }
    if (options.browser) {
      const browser = await launchChromium();
      closers.push(() => browser.close());
      parts.browser = browser;
    }
    const appConfig = testApiConfig(settings, env);
    const storage = createStorageFromConfig(appConfig);
    closers.push(async () => storage.close());
    const deps = {
      db: db.pool,
      storage,
      tokens: createTokenSigner(appConfig.TOKEN_SECRET),
      geocoder: parts.app?.deps.geocoder ?? createLocalGeocoder(db.pool),
    };
    const staff = {} as Record<Who, SignedInStaff>;
    for (const [name, account] of Object.entries<StaffAccount>(options.staff ?? ({} as Record<Who, StaffAccount>))) {
      staff[name as Who] = await signInNewStaff({ app: parts.app!, pool: db.pool }, name, account);
    }
    return {
      ...(parts as Stack<Who>),
      db,
      pool: db.pool,
      settings,
      deps,
      staff,
      as: (who) => (who === 'anonymous' ? {} : staff[who].headers),
      buildApp: otherApp,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * `startStack` in this file's `beforeAll`, `close` in its `afterAll`: the stack is usable from the
 * first hook or test on, e.g. `const stack = useStack({ worker: true, smtp: true })`.
 */
export function useStack<Who extends string = never>(options: StackOptions<Who> = {}): Stack<Who> {
  let started: Stack<Who> | undefined;
  beforeAll(async () => {
    started = await startStack(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as Stack<Who>, {
    get(_target, key) {
      // Not a promise, whatever awaits or inspects it.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (!started) throw new Error(`stack.${String(key)} read before the stack started (in beforeAll)`);
      const value = Reflect.get(started, key);
      if (value === undefined) throw new Error(`this stack has no ${String(key)}: ask for it in useStack's options`);
      return value;
    },
  });
}

/** Removes the BullMQ keys of the stack's queue prefix, so Redis does not fill up across runs. */
async function dropQueueKeys(settings: TestSettings): Promise<void> {
  if (settings.redisClusterNodes) {
    const cluster = new Cluster(clusterNodesOf(testRedisTarget(settings)));
    try {
      await cluster.ping(); // held until the slots are known, so that nodes() lists the masters
      // The prefix is a hash tag: every key of the file lives on the one node owning its slot.
      for (const node of cluster.nodes('master')) {
        const keys = await node.keys(`${settings.queuePrefix}:*`);
        if (keys.length) await node.del(...keys);
      }
    } finally {
      cluster.disconnect();
    }
    return;
  }
  const redis = new Redis(settings.redisUrl!);
  try {
    const keys = await redis.keys(`${settings.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
