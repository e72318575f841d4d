import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { AddressImportError, createLocalGeocoder, importBanFile, type Pool } from '@pave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

// The importer against its own cloned database (which starts with the demo city's 4,612 Paris addresses).
const stack = useStack({ api: false });
const run = promisify(execFile);
const fixture = (name: string) => path.resolve('tests/fixtures/addresses', name);
const ROQUETTE_12 = '75111_8366_00012';
const NEAR_BASTILLE = { lon: 2.369, lat: 48.853 };

let tmp: string;
const tempFile = (name: string, content: Buffer | string) => {
  const file = path.join(tmp, name);
  writeFileSync(file, content);
  return file;
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pave-addresses-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The whole index as rows, in a stable order: what "nothing changed" compares. */
async function readIndex(pool: Pool) {
  const { rows } = await pool.query<{ id: string; departement: string; label: string; point: string }>(
    `SELECT a.id, s.departement, a.label, ST_AsText(a.geom) AS point
       FROM addresses a JOIN address_streets s ON s.id = a.street_id ORDER BY a.id`,
  );
  return rows;
}

async function countByDepartement(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ departement: string; n: number }>(
    `SELECT s.departement, count(*)::int AS n FROM addresses a JOIN address_streets s ON s.id = a.street_id
      GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.departement, r.n]));
}

/** Expects `importing` to fail with an AddressImportError whose message matches, leaving the index as it was. */
async function expectRefusedWhole(importing: () => Promise<unknown>, message: RegExp): Promise<AddressImportError> {
  const before = await readIndex(stack.pool);
  const error = await importing().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AddressImportError);
  expect((error as Error).message).toMatch(message);
  expect(await readIndex(stack.pool)).toEqual(before);
  return error as AddressImportError;
}

describe('importing a BAN file', () => {
  it('imports a plain file: rows read and kept, one street per name and postcode, found by the search', async () => {
    expect((await countByDepartement(stack.pool))['75']).toBe(4612);
    const report = await importBanFile(stack.pool, fixture('adresses-75-92.csv'));
    expect(report).toEqual({ read: 15, kept: 15, refused: {}, departements: ['75', '92'], streets: 12 });
    // Paris is now the file's 12 rows: the demo's 4,612 are gone with the département they were in.
    expect(await countByDepartement(stack.pool)).toEqual({ '75': 12, '92': 3 });
    const { rows } = await stack.pool.query(
      `SELECT a.number, a.suffix, a.label, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, s.name, s.postcode, s.city
         FROM addresses a JOIN address_streets s ON s.id = a.street_id WHERE a.id = $1`,
      [ROQUETTE_12],
    );
    expect(rows).toEqual([
      {
        number: 12,
        suffix: '',
        label: '12 Rue de la Roquette 75011 Paris',
        lon: 2.372,
        lat: 48.8543,
        name: 'Rue de la Roquette',
        postcode: '75011',
        city: 'Paris',
      },
    ]);
    const found = await createLocalGeocoder(stack.pool).search('12 rue de la roquette', NEAR_BASTILLE);
    expect(found[0]).toMatchObject({ id: ROQUETTE_12, kind: 'address' });
    // The planner's statistics are the new index's (ANALYZE in the import's transaction, VACUUM after it).
    const { rows: stats } = await stack.pool.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples FROM pg_class WHERE relname IN ('addresses', 'address_streets') ORDER BY relname`,
    );
    expect(stats).toEqual([
      { relname: 'address_streets', reltuples: 12 },
      { relname: 'addresses', reltuples: 15 },
    ]);
    const clichy = await createLocalGeocoder(stack.pool).search('8 bd jean jaures clichy', NEAR_BASTILLE);
    expect(clichy[0]).toMatchObject({ id: '92024_0560_00008', label: '8 Boulevard Jean Jaurès 92110 Clichy' });
  });

  it('imports the same file gzipped (.csv.gz) with the same result', async () => {
    await importBanFile(stack.pool, fixture('adresses-75-smaller.csv'));
    const gzipped = tempFile('adresses-75-92.csv.gz', gzipSync(readFileSync(fixture('adresses-75-92.csv'))));
    const report = await importBanFile(stack.pool, gzipped);
    expect(report).toEqual({ read: 15, kept: 15, refused: {}, departements: ['75', '92'], streets: 12 });
    expect(await countByDepartement(stack.pool)).toEqual({ '75': 12, '92': 3 });
  });

  it('is idempotent: importing the same file again leaves the same rows, with the same ids', async () => {
    const first = await importBanFile(stack.pool, fixture('adresses-75-92.csv'));
    const before = await readIndex(stack.pool);
    const second = await importBanFile(stack.pool, fixture('adresses-75-92.csv'));
    expect(second).toEqual(first);
    const after = await readIndex(stack.pool);
    expect(after).toEqual(before);
    expect(after).toHaveLength(15);
    expect(after.map((r) => r.id)).toContain(ROQUETTE_12);
  });

  it('replaces a département whole: a smaller Paris file leaves only its rows in 75, and 92 as it was', async () => {
    await importBanFile(stack.pool, fixture('adresses-75-92.csv'));
    const hautsDeSeine = (await readIndex(stack.pool)).filter((r) => r.departement === '92');
    const report = await importBanFile(stack.pool, fixture('adresses-75-smaller.csv'));
    expect(report).toEqual({ read: 2, kept: 2, refused: {}, departements: ['75'], streets: 2 });
    const after = await readIndex(stack.pool);
    expect(after.filter((r) => r.departement === '75').map((r) => r.label)).toEqual([
      '3 Rue Oberkampf 75011 Paris',
      '12 Rue de la Roquette 75011 Paris',
    ]);
    expect(after.filter((r) => r.departement === '92')).toEqual(hautsDeSeine);
    // The streets of the replaced département went with it: no street is left without an address.
    const { rows } = await stack.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM address_streets s WHERE NOT EXISTS (SELECT 1 FROM addresses a WHERE a.street_id = s.id)`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('counts refused rows by reason, with their line numbers, and imports the rest', async () => {
    const report = await importBanFile(stack.pool, fixture('refused-rows.csv'), { maxRefusedRatio: 0.9 });
    expect(report.refused).toEqual({
      'coordinates are not numbers': { count: 1, lines: [3] },
      'coordinates are out of range': { count: 1, lines: [5] },
      'house number is not a whole number from 0 to 99998': { count: 2, lines: [6, 14] },
      'wrong number of columns': { count: 1, lines: [9] },
      'postcode is not 5 digits': { count: 1, lines: [12] },
      // The first line with an id is kept; the later ones are refused.
      'duplicate id': { count: 2, lines: [7, 15] },
    });
    // Line 11 is blank: not a row. 13 rows, 8 refused, 5 kept.
    expect(report).toMatchObject({ read: 13, kept: 5, departements: ['75'], streets: 1 });
    const paris = (await readIndex(stack.pool)).filter((r) => r.departement === '75');
    expect(paris.map((r) => r.id)).toEqual([20, 22, 24, 26, 28].map((n) => `75111_8366_000${n}`));
  });
});

describe('a file that cannot be imported changes nothing', () => {
  beforeAll(async () => {
    await importBanFile(stack.pool, fixture('adresses-75-92.csv'));
  });

  it('too many refused rows (more than --max-refused, 5 % by default): AddressImportError with the counts', async () => {
    const error = await expectRefusedWhole(
      () => importBanFile(stack.pool, fixture('refused-rows.csv')),
      /^8 of 13 rows were refused \(more than 5 %\)/,
    );
    expect(error.report?.refused['duplicate id']).toEqual({ count: 2, lines: [7, 15] });
  });

  it('a header without the BAN columns it needs', async () => {
    await expectRefusedWhole(
      () => importBanFile(stack.pool, fixture('missing-columns.csv')),
      /^The header lacks the BAN column\(s\) lon, lat\.$/,
    );
  });

  it("a comma-separated file: the message says the separator is ';'", async () => {
    await expectRefusedWhole(() => importBanFile(stack.pool, fixture('comma-separated.csv')), /separated by ';'/);
  });

  it('an empty file, and a file with a header and no rows', async () => {
    await expectRefusedWhole(() => importBanFile(stack.pool, fixture('empty.csv')), /The file is empty/);
    await expectRefusedWhole(() => importBanFile(stack.pool, fixture('header-only.csv')), /holds no rows/);
  });

  it('a truncated gzip, a corrupt one, a file that is not gzip at all, and a missing file', async () => {
    const gzipped = gzipSync(readFileSync(fixture('adresses-75-92.csv')));
    const truncated = tempFile('truncated.csv.gz', gzipped.subarray(0, gzipped.length - 20));
    const corrupt = Buffer.from(gzipped);
    corrupt.fill(0x55, 40, 80);
    const notGzip = tempFile('not-gzip.csv.gz', readFileSync(fixture('adresses-75-92.csv')));
    for (const file of [truncated, tempFile('corrupt.csv.gz', corrupt), notGzip]) {
      const error = await importGuarded(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AddressImportError);
      expect((error as Error).message).toMatch(
        /^The file cannot be decompressed \(.+\): it is not gzip, or it is truncated/,
      );
    }
    await expect(importGuarded(path.join(tmp, 'absent.csv.gz'))).rejects.toThrow(/ENOENT/);
    await expect(importGuarded(path.join(tmp, 'absent.csv'))).rejects.toThrow(/ENOENT/);
  });
});

/** importBanFile that must end (a read error that left the import waiting would hang the test). */
async function importGuarded(file: string) {
  const before = await readIndex(stack.pool);
  try {
    return await importBanFile(stack.pool, file);
  } finally {
    expect(await readIndex(stack.pool)).toEqual(before);
  }
}

describe('npm run addresses:import', () => {
  const cli = (...args: string[]) =>
    run(path.resolve('node_modules/.bin/tsx'), ['packages/core/src/cli/addresses-import.ts', ...args], {
      env: { ...process.env, DATABASE_URL: stack.db.url },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('prints a summary and exits 0 for a good file', async () => {
    const { code, stdout, stderr } = await cli(fixture('adresses-75-92.csv'));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(
      /^addresses:import: 15 rows read, 15 kept, 0 refused; 12 streets in département\(s\) 75, 92 \(\d+\.\d s\)\n$/,
    );
  });

  it('says what was refused, on which lines, and exits 1 with nothing changed for a broken file', async () => {
    const before = await readIndex(stack.pool);
    const { code, stdout, stderr } = await cli(fixture('refused-rows.csv'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^addresses:import failed, nothing was changed: 8 of 13 rows were refused/);
    expect(stdout).toContain('  refused 2: duplicate id (lines 7, 15)');
    expect(stdout).toContain('  refused 1: coordinates are not numbers (line 3)');
    expect(await readIndex(stack.pool)).toEqual(before);
    // --max-refused lets it through.
    const lenient = await cli(fixture('refused-rows.csv'), '--max-refused', '0.9');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(
      /^addresses:import: 13 rows read, 5 kept, 8 refused; 1 streets in département\(s\) 75/,
    );
  });
});
