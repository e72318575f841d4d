import { createPool, migrate } from '@pave/core';
import { seedCity, seedDemoAddresses } from '@pave/core/seed';
import { TEST_ENV } from './env';

/** Migrates the template test database and seeds the reference city once per run. */
export default async function setup(): Promise<void> {
  const pool = createPool({
    connectionString: TEST_ENV.templateDatabaseUrl,
    max: 1,
    applicationName: 'pave-test-setup',
  });
  try {
    await migrate(pool);
    await seedCity(pool);
    // Every stack has the demo city's address index, as `npm start` does.
    await seedDemoAddresses(pool);
    // The template must hold no reports, so every cloned database starts empty.
    await pool.query('TRUNCATE reports, outbox, category_daily_counts CASCADE');
  } finally {
    await pool.end();
  }
}
