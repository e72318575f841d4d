import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/**
 * What repository functions take, so services can compose them inside one transaction: the pool, a
 * pooled client, or a dedicated connection (the LISTEN connection of db/listen-hub.ts).
 */
export type Db = pg.Pool | pg.ClientBase;

export interface PoolOptions {
  connectionString: string;
  max?: number;
  /** Server-side cap per statement: a runaway query fails instead of holding a connection. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

/** Creates the pg pool used by every repository. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    application_name: options.applicationName ?? 'pave',
    connectionTimeoutMillis: 5_000,
    // No JIT compilation. PostgreSQL compiles a query whose estimated cost passes jit_above_cost,
    // and the aggregated map tiles sit around that line: over the 1M fixture a 63 ms tile paid 23 ms
    // of compiling when its estimate crossed it (EXPLAIN ANALYZE, "JIT: Total"). Nothing here runs
    // long enough to win that back: the year's summary was not faster with it (psql \timing).
    options: '-c jit=off',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a client that loses it while checked out (a transaction, LISTEN, a cursor) when PostgreSQL
  // restarts: pg then emits 'error' on that client, and with no listener Node ends the process. The
  // query in flight fails on its own (the caller answers 503 or retries the job), and the pool
  // discards the broken client when it is released (pg-pool drops clients that are not queryable).
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Runs `work` in a transaction on one client, committing on success and rolling back on error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await commit(client);
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Commits, and fails when PostgreSQL rolled back instead. A transaction in which a statement failed
 * and its error was caught goes on to COMMIT, which then answers with the command tag ROLLBACK and no
 * error: the caller would report success for work that was never stored (a report answered 201 and
 * lost). This turns that into the error it is.
 */
export async function commit(client: pg.ClientBase): Promise<void> {
  const result = await client.query('COMMIT');
  if (result.command !== 'COMMIT') {
    throw new Error(
      'The transaction was rolled back at COMMIT: one of its statements failed and the error was caught.',
    );
  }
}
