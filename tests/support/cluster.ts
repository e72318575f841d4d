import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from '@pave/core';
import { afterAll, beforeAll } from 'vitest';
import { NGINX, startNginx } from '../../infra/nginx.mjs';
import { endWithThisProcess } from './children';
import { createTestSettings, testApiEnv } from './config';
import { createTestDatabase, type TestDatabase } from './db';
import { freePort } from './private-redis';

export interface Cluster {
  /** nginx's address: the site as its users see it (and every API's PUBLIC_BASE_URL). */
  url: string;
  /** Each API process as nginx names it in `X-Pave-Upstream` (`127.0.0.1:<port>`). */
  apis: string[];
  db: TestDatabase;
  pool: Pool;
  close(): Promise<void>;
}

const SERVER_ENTRY = path.resolve('apps/api/src/server.ts');

/**
 * `apis` API processes of their own (`node --import tsx apps/api/src/server.ts`, as in production: no
 * shared memory) on one test database, Redis prefix and storage, behind a real nginx with the config
 * of `npm run start:cluster` (infra/nginx.mjs). `env` goes to every API.
 */
export async function startCluster(options: { apis?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
  if (!existsSync(NGINX)) throw new Error(`no ${NGINX}: run \`bash infra/bootstrap.sh --with-nginx\``);
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const db = await createTestDatabase();
    closers.push(() => db.drop());
    const settings = createTestSettings(db.url);
    closers.push(async () => rmSync(settings.storageDir, { recursive: true, force: true }));
    const url = `http://127.0.0.1:${await freePort()}`;
    const apis: string[] = [];
    for (let i = 0; i < (options.apis ?? 2); i += 1) {
      const port = await freePort();
      const env = testApiEnv(settings, {
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_BASE_URL: url,
        TRUST_PROXY: 'loopback',
        ...options.env,
      });
      const child = endWithThisProcess(
        spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      );
      closers.push(() => stopProcess(child));
      await waitUntilAnswering(`http://127.0.0.1:${port}`, child);
      apis.push(`127.0.0.1:${port}`);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pave-nginx-'));
    // nginx's workers run as `nobody` under root and write their temporary files below this directory.
    chmodSync(dir, 0o755);
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const nginx = startNginx({ listen: new URL(url).host, upstreams: apis, dir, stdio: ['ignore', 'ignore', 'pipe'] });
    endWithThisProcess(nginx.child, 'SIGTERM');
    closers.push(() => stopProcess(nginx.child));
    await waitUntilAnswering(url, nginx.child);
    return { url, apis, db, pool: db.pool, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `startCluster` in this file's `beforeAll`, `close` in its `afterAll`. */
export function useCluster(options: Parameters<typeof startCluster>[0] = {}): Cluster {
  let started: Cluster | undefined;
  beforeAll(async () => {
    started = await startCluster(options);
  }, 90_000);
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as Cluster, {
    get(_target, key) {
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (!started) throw new Error(`cluster.${String(key)} read before the cluster started (in beforeAll)`);
      return Reflect.get(started, key);
    },
  });
}

/** Resolves once `baseUrl` answers its liveness check; rejects with the process's stderr if it exits first. */
export async function waitUntilAnswering(baseUrl: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${baseUrl}: exited ${child.exitCode} before answering: ${stderr}`);
    const response = await fetch(`${baseUrl}/api/health/live`).catch(() => null);
    if (response?.ok) return;
    // Polling a process that is still starting: there is no event to wait on from outside it.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${baseUrl} did not answer within 60 s: ${stderr}`);
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
