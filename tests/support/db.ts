import { randomBytes } from 'node:crypto';
import { createPool, type Pool } from '@pave/core';
import { TEST_ENV } from './env';

export interface TestDatabase {
  url: string;
  /** The same database on the read replica (it exists there once the replica has replayed its creation). */
  replicaUrl: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** Resolves once the database of `replicaUrl` answers on the replica (its CREATE DATABASE replayed). */
export async function waitForReplicaDatabase(replicaUrl: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = createPool({ connectionString: replicaUrl, max: 1, applicationName: 'pave-test' });
    try {
      await probe.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no replica database at ${replicaUrl}: ${(error as Error).message}`);
    } finally {
      await probe.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A fresh database cloned from the migrated template (fast: a file copy, no migrations). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = new URL(TEST_ENV.templateDatabaseUrl);
  const templateName = template.pathname.slice(1);
  const name = `${templateName}_${randomBytes(5).toString('hex')}`;
  const admin = createPool({ connectionString: TEST_ENV.templateDatabaseUrl.replace(/\/[^/]*$/, '/postgres'), max: 1 });
  try {
    // Cloning waits for other clones of the same template; retry briefly if the template is busy.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
        break;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_ENV.templateDatabaseUrl);
  url.pathname = `/${name}`;
  const pool = createPool({ connectionString: url.toString(), max: 4, applicationName: 'pave-test' });
  const replicaUrl = new URL(TEST_ENV.replicaServerUrl);
  replicaUrl.pathname = `/${name}`;
  return {
    url: url.toString(),
    replicaUrl: replicaUrl.toString(),
    pool,
    async drop() {
      await pool.end();
      const dropper = createPool({
        connectionString: TEST_ENV.templateDatabaseUrl.replace(/\/[^/]*$/, '/postgres'),
        max: 1,
      });
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
