import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from './pool';

/**
 * The towns a signed-in staff member's queries may see: one INSEE code, or '*' for a metropolitan
 * account. Enforced by PostgreSQL (migration 030's row-level security), not by each query.
 */
export type TownScope = string;

/** The scope of a staff account: its town, or every town for a metropolitan account (no town). */
export function townScopeOf(user: { townCode: string | null }): TownScope {
  return user.townCode ?? '*';
}

const scopes = new AsyncLocalStorage<TownScope>();

/**
 * Runs `work` with every query made from it (and from what it awaits) scoped to `scope`: on a pool
 * wrapped by `scopePoolByTown`, each connection it takes acts as the role `pave_staff` with
 * `pave.towns` set to the town (a metropolitan '*' scope reads as the owner, every town). The API
 * enters it once per staff request (plugins/staff-auth.ts).
 */
export function runInTownScope<T>(scope: TownScope, work: () => T): T {
  return scopes.run(scope, work);
}

/**
 * Runs `work` outside any town scope, town-blind, for a look-up of public data that must see every
 * town (the service area at a point, which GET /api/areas publishes anyway). Greppable on purpose:
 * each use is an exception to the town isolation and says why.
 */
export function runTownBlind<T>(work: () => T): T {
  return scopes.exit(work);
}

/** The scope the current request runs in; undefined outside a staff request (worker, public reads). */
export function currentTownScope(): TownScope | undefined {
  return scopes.getStore();
}

// What each connection was last set to, so a client taken again in the same scope costs no round trip.
const applied = new WeakMap<object, TownScope>();

async function applyScope(client: PoolClient, requested: TownScope | undefined): Promise<void> {
  // A metropolitan account reads every town, as the owner does: its queries run as the owner, whose
  // plans row-level security leaves alone. Under pave_staff with '*', the policy's OR kept the staff
  // queue off its index order: 6× slower on the 1M fixture (bench/analytics.bench.ts).
  const scope = requested === '*' ? undefined : requested;
  const current = applied.get(client);
  if (current === scope) return;
  if (scope === undefined) {
    await client.query('RESET ROLE; RESET pave.towns');
    applied.delete(client);
    return;
  }
  // Session-level, before any BEGIN of the caller: a rolled-back transaction does not undo it.
  await client.query("SELECT set_config('role', 'pave_staff', false), set_config('pave.towns', $1, false)", [scope]);
  applied.set(client, scope);
}

/**
 * Makes every connection `pool` hands out follow the town scope of the code asking for it: inside
 * `runInTownScope` it is set to that scope, outside it is the owner's, town-blind. Every way of
 * querying goes through `connect` (pg-pool's own `query` too), so no repository can forget the town.
 */
export function scopePoolByTown(pool: Pool): Pool {
  const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const scopedConnect = async (scope: TownScope | undefined): Promise<PoolClient> => {
    const client = await connect();
    try {
      await applyScope(client, scope);
    } catch (error) {
      // A client whose role is unknown must not go back to the pool.
      client.release(error as Error);
      throw error;
    }
    return client;
  };
  // Both forms pg-pool has: the promise one (services, cursors) and the callback one its `query` uses.
  // The scope is read when connect is called, in the caller's context: a callback run later, when a
  // busy pool frees a client, runs outside it.
  pool.connect = ((callback?: (error: Error | undefined, client?: PoolClient, done?: () => void) => void) => {
    const scope = scopes.getStore();
    if (!callback) return scopedConnect(scope);
    scopedConnect(scope).then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error),
    );
    return undefined;
  }) as Pool['connect'];
  return pool;
}
