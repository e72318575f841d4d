// `npm run addresses:import -- FILE [--max-refused 0.05]`: imports a BAN file (adresses-<département>.csv[.gz]),
// replacing each département it holds in one transaction.
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { AddressImportError, importBanFile, type ImportReport } from '../addresses/ban-import';
import { CommonEnv, parseEnv } from '../config/env';
import { createPool } from '../db/pool';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL }), process.env);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'max-refused': { type: 'string', default: '0.05' } },
});
const maxRefusedRatio = Number(values['max-refused']);
if (positionals.length !== 1 || !(maxRefusedRatio >= 0 && maxRefusedRatio <= 1)) {
  console.error('usage: npm run addresses:import -- FILE [--max-refused 0.05]');
  process.exit(2);
}
const [file] = positionals as [string];
// The import is one long transaction: no statement timeout, one connection.
const pool = createPool({
  connectionString: env.DATABASE_URL,
  max: 1,
  statementTimeoutMs: 0,
  applicationName: 'pave-addresses',
});
const started = Date.now();
try {
  const report = await importBanFile(pool, file, { maxRefusedRatio });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `addresses:import: ${report.read} rows read, ${report.kept} kept, ${refusedCount(report)} refused; ` +
      `${report.streets} streets in département(s) ${report.departements.join(', ')} (${seconds.toFixed(1)} s)`,
  );
  printRefusals(report);
} catch (error) {
  console.error(`addresses:import failed, nothing was changed: ${(error as Error).message}`);
  if (error instanceof AddressImportError && error.report) printRefusals(error.report);
  process.exitCode = 1;
} finally {
  await pool.end();
}

function refusedCount(report: ImportReport): number {
  return Object.values(report.refused).reduce((n, r) => n + r.count, 0);
}

function printRefusals(report: ImportReport): void {
  for (const [reason, { count, lines }] of Object.entries(report.refused)) {
    console.log(
      `  refused ${count}: ${reason} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}${count > lines.length ? ', …' : ''})`,
    );
  }
}
