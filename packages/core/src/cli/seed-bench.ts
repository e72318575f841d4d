// `npm run seed:bench [-- --reports N]`: a benchmark database with the reference city and N synthetic reports.
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { parseEnv } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { seedBenchReports, seedBenchTowns } from '../seed/bench-fixture';
import { seedDemoTowns } from '../seed/demo-towns';
import { purgeExpiredMapReports } from '../tiles/tiles.service';
import { seedCity } from '../seed/city';

const env = parseEnv(
  Type.Object({ BENCH_DATABASE_URL: Type.String({ default: 'postgres://pave:pave@127.0.0.1:5432/pave_bench' }) }),
  process.env,
);
const { values } = parseArgs({
  options: { reports: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '2026' } },
});
const count = Number(values.reports);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
  console.error('--reports and --seed must be non-negative integers');
  process.exit(2);
}

const url = new URL(env.BENCH_DATABASE_URL);
const name = decodeURIComponent(url.pathname.slice(1));
const adminUrl = new URL(url);
adminUrl.pathname = '/postgres';
const admin = createPool({ connectionString: adminUrl.toString(), max: 1, applicationName: 'pave-seed-bench' });
try {
  const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rows.length === 0) {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    console.log(`seed:bench: created database ${name}`);
  }
} finally {
  await admin.end();
}

const pool = createPool({ connectionString: url.toString(), max: 2, applicationName: 'pave-seed-bench' });
try {
  const applied = await migrate(pool);
  if (applied.length) console.log(`seed:bench: migrations applied: ${applied.join(', ')}`);
  await seedCity(pool);
  // The 124 towns of Paris and the inner ring, each with teams of its own (issue #19).
  await seedDemoTowns(pool);
  await seedBenchTowns(pool);
  await pool.query('TRUNCATE reports CASCADE');
  const { written, ms } = await seedBenchReports(pool, { count, seed });
  console.log(`seed:bench: ${written} reports in ${ms} ms (${name}, seed ${seed})`);
  // The state a running API keeps the map's table in (its hourly upkeep), so benchmarks measure that.
  const upkeepStarted = Date.now();
  await purgeExpiredMapReports({ db: pool });
  console.log(`seed:bench: map table upkeep (purge + spatial CLUSTER) in ${Date.now() - upkeepStarted} ms`);
} catch (error) {
  console.error(`seed:bench failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
