import type { Pool } from '@pave/core';
import { seedBenchReports } from '@pave/core/seed';

/**
 * Fills a cloned test database with `count` synthetic Paris reports (generated in SQL, see
 * packages/core/src/seed/bench-fixture.ts) and logs how long it took: the scale tests must stay fast.
 */
export async function seedScaleFixture(pool: Pool, count: number): Promise<void> {
  const { written, ms } = await seedBenchReports(pool, { count, seed: 2026 });
  console.log(`scale fixture: ${written.toLocaleString('en')} reports in ${ms} ms`);
}
