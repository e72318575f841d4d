// `npm run seed [-- --reports N]`: seeds the reference city, and demo reports when the database has none.
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { CommonEnv, parseEnv } from '../config/env';
import { backfillReportAddresses } from '../addresses/report-address.service';
import { createPool } from '../db/pool';
import { seedDemoAddresses } from '../seed/ban-fixture';
import { seedCity } from '../seed/city';
import { seedDemoReports } from '../seed/demo-reports';
import { seedDemoStaff } from '../seed/demo-staff';
import { DEMO_TOWN_STAFF_PASSWORD, DEMO_TOWNS, demoTownStaff, seedDemoTowns } from '../seed/demo-towns';
import { DEMO_STAFF } from '../staff/demo-accounts';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL, NODE_ENV: CommonEnv.NODE_ENV }), process.env);
const { values } = parseArgs({
  options: { reports: { type: 'string', default: '400' }, 'city-only': { type: 'boolean', default: false } },
});
const count = Number(values.reports);
if (!Number.isInteger(count) || count < 0) {
  console.error('--reports must be a non-negative integer');
  process.exit(2);
}
const pool = createPool({ connectionString: env.DATABASE_URL, max: 2, applicationName: 'pave-seed' });
try {
  await seedCity(pool);
  console.log('seed: city (categories, 20 areas, teams, routing rules) ready');
  // Demo accounts have published passwords: a production database never gets them.
  if (env.NODE_ENV === 'production' && !values['city-only']) {
    console.log('seed: NODE_ENV is production, so no demo reports and no demo accounts (as with --city-only)');
  } else if (!values['city-only']) {
    const addresses = await seedDemoAddresses(pool);
    console.log(
      addresses
        ? `seed: ${addresses.kept} real Paris addresses from DansMaRue reports (ODbL) in the address index`
        : 'seed: the address index already holds addresses; demo addresses skipped',
    );
    // The towns first: part of the demo reports lie in them (DEMO_NEIGHBOUR_SHARE) and are routed to their teams.
    await seedDemoTowns(pool);
    console.log(
      `seed: neighbouring towns ${DEMO_TOWNS.map((t) => t.name).join(', ')} served, with their teams, rules and staff (password ${DEMO_TOWN_STAFF_PASSWORD}):`,
    );
    for (const a of demoTownStaff()) console.log(`  ${a.role.padEnd(10)} ${a.email}`);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    if (rows[0]!.n === 0) {
      const started = Date.now();
      const written = await seedDemoReports(pool, { count });
      console.log(
        `seed: ${written} demo reports at real DansMaRue places (ODbL) and in the neighbouring towns in ${Date.now() - started} ms`,
      );
    } else {
      console.log(`seed: ${rows[0]!.n} reports already present; demo reports skipped`);
    }
    // Demo reports are written directly, without the lookup a filed report gets: the backfill gives them theirs.
    const backfill = await backfillReportAddresses(pool);
    console.log(`seed: ${backfill.filled} of ${backfill.checked} reports without an address got one from the index`);
    await seedDemoStaff(pool);
    console.log('seed: demo staff accounts (local demo only — delete them in production):');
    for (const a of DEMO_STAFF) console.log(`  ${a.role.padEnd(10)} ${a.email}  /  ${a.password}`);
  }
} catch (error) {
  console.error(`seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
