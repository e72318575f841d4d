import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPool, migrate } from '@pave/core';
import { seedCity } from '@pave/core/seed';
import { freePort } from './private-redis';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, in a temporary directory on a free loopback port, which the
 * test may stop, start and restart: the machine's shared server on 5432 is never touched.
 */
export interface ThrowawayPostgres {
  port: number;
  /** Trust authentication as the superuser `postgres`. */
  urlOf(database: string): string;
  /** Creates a database with PostGIS; resolves with its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl restart -m fast`: clients are disconnected, and it resolves once the server accepts connections again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The server's log so far (for a failure message). */
  log(): string;
  /** Stops the server at once and deletes its directory. Safe to call twice. */
  destroy(): Promise<void>;
}

/** Where initdb and pg_ctl live: Debian keeps them out of PATH, under the newest /usr/lib/postgresql/<v>/bin. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  // Elsewhere (a distribution that puts them in PATH) the bare names are found by execFile.
  return versions.length > 0 ? path.join(root, versions.at(-1)!, 'bin') : '';
}

/**
 * initdb into a fresh temporary directory, then pg_ctl start on a free port of 127.0.0.1 (trust auth).
 * PostgreSQL refuses to run as root: as root, the directory is given to `postgres` and the tools run as it.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const tool = (name: string) => (bin ? path.join(bin, name) : name);
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (isRoot) {
    const [uid, gid] = (await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])).map((r) =>
      Number(r.stdout.trim()),
    );
    chownSync(dir, uid!, gid!);
  }
  const asOwner = (name: string, args: string[], timeoutMs: number) =>
    isRoot
      ? run('runuser', ['-u', 'postgres', '--', tool(name), ...args], { cwd: dir, timeout: timeoutMs })
      : run(tool(name), args, { cwd: dir, timeout: timeoutMs });
  const pgCtl = (args: string[]) =>
    // -w -t 60: wait for the server to accept connections (or to be gone), at most a minute on a busy machine.
    asOwner('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args], 90_000);

  let isDestroyed = false;
  const destroy = async () => {
    if (isDestroyed) return;
    isDestroyed = true;
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
      await pgCtl(['stop', '-m', 'immediate']).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // --no-sync: a throwaway cluster needs no durable initdb (the server itself still fsyncs normally).
    await asOwner(
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      120_000,
    );
    const port = await freePort();
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        // Its socket in its own directory: nothing is written to the shared /var/run/postgresql.
        `unix_socket_directories = '${dir}'`,
        'max_connections = 50',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    await pgCtl(['start']);
    const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    return {
      port,
      urlOf,
      async createDatabase(name) {
        const admin = createPool({ connectionString: urlOf('postgres'), max: 1, applicationName: 'pave-test-setup' });
        try {
          await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        } finally {
          await admin.end();
        }
        const pool = createPool({ connectionString: urlOf(name), max: 1, applicationName: 'pave-test-setup' });
        try {
          await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
        } finally {
          await pool.end();
        }
        return urlOf(name);
      },
      restart: async () => void (await pgCtl(['restart', '-m', 'fast'])),
      stop: async () => void (await pgCtl(['stop', '-m', 'fast'])),
      start: async () => void (await pgCtl(['start'])),
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** A database on `cluster` migrated and seeded with the reference city, as the test template is (global-setup.ts). */
export async function createCityDatabase(cluster: ThrowawayPostgres, name = 'pave'): Promise<string> {
  const url = await cluster.createDatabase(name);
  const pool = createPool({ connectionString: url, max: 1, applicationName: 'pave-test-setup', statementTimeoutMs: 0 });
  try {
    await migrate(pool);
    await seedCity(pool);
  } finally {
    await pool.end();
  }
  return url;
}
