// `npm run migrate`: applies pending migrations to DATABASE_URL.
import { Type } from 'typebox';
import { CommonEnv, parseEnv } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL }), process.env);
const pool = createPool({ connectionString: env.DATABASE_URL, max: 1, applicationName: 'pave-migrate' });
try {
  const applied = await migrate(pool);
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await pool.end();
}
