// The address index at regional scale (issue #14): a synthetic BAN file of 1,000,000 addresses
// (`BENCH_ADDRESSES`) made from the demo fixture's real street names, imported by the real importer
// (`npm run addresses:import`, in its own process: rate and peak RSS), then autocomplete and reverse
// lookup through the API over HTTP, each against the SQL the API sends, sent directly, in the same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { BAN_HEADER, createLocalGeocoder, createPool, type Pool } from '@pave/core';
import { DEMO_ADDRESS_FILE, createRandom, seedDemoAddresses, type BanRow } from '@pave/core/seed';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/config';
import { captureQueries, measure, measurePair, type CapturedQuery } from './lib';

const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench';
const ROWS = Number(process.env.BENCH_ADDRESSES ?? 1_000_000);
/** Timed runs of each of the 50 queries (API and SQL alike). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** Leaves the synthetic index in the database after the run, for EXPLAIN ANALYZE by hand. */
const KEEP_INDEX = process.env.BENCH_KEEP_INDEX === '1';
const TARGETS = { searchP50: 20, ratio: 1.3, reverseP50: 5 };
/** Île-de-France, where the synthetic communes outside Paris are spread. */
const IDF = { minLon: 1.45, minLat: 48.12, maxLon: 3.56, maxLat: 49.24 };
const SYNTHETIC_DEPARTEMENTS = ['77', '78', '91', '92', '93', '94', '95'];
const COMMUNES_PER_DEPARTEMENT = 30;

interface Commune {
  insee: string;
  postcode: string;
  name: string;
  lon: number;
  lat: number;
  /** Metres from the centre within which its streets start. */
  radius: number;
}

/** The demo fixture's real street names, and the centre of its addresses in each arrondissement. */
function readDemoFixture(): { streets: string[]; arrondissements: Commune[] } {
  // The fixture is written by toBanCsv: `;`-separated, no quoting.
  const [header, ...lines] = gunzipSync(readFileSync(DEMO_ADDRESS_FILE)).toString('utf8').trim().split('\n');
  const columns = header!.split(';');
  const rows = lines.map(
    (line) => Object.fromEntries(line.split(';').map((value, i) => [columns[i], value])) as BanRow,
  );
  const streets = new Map<string, string>();
  const centres = new Map<string, { postcode: string; lon: number; lat: number; n: number }>();
  for (const row of rows) {
    streets.set(row.nom_voie.toLowerCase(), row.nom_voie);
    const c = centres.get(row.code_insee) ?? { postcode: row.code_postal, lon: 0, lat: 0, n: 0 };
    c.lon += Number(row.lon);
    c.lat += Number(row.lat);
    c.n += 1;
    centres.set(row.code_insee, c);
  }
  const arrondissements = [...centres.entries()]
    .filter(([insee]) => insee !== '75116')
    .map(([insee, c]) => {
      const n = Number(insee.slice(3));
      return {
        insee,
        postcode: c.postcode,
        name: `Paris ${n}${n === 1 ? 'er' : 'e'} Arrondissement`,
        lon: c.lon / c.n,
        lat: c.lat / c.n,
        radius: 1_000,
      };
    });
  return { streets: [...streets.values()].sort(), arrondissements };
}

/** 20 arrondissements, and 30 synthetic communes in each of the 7 other départements of the region. */
function makeCommunes(random: () => number, arrondissements: Commune[]): Commune[] {
  const communes = [...arrondissements];
  for (const dep of SYNTHETIC_DEPARTEMENTS) {
    const isInner = ['92', '93', '94'].includes(dep);
    for (let k = 1; k <= COMMUNES_PER_DEPARTEMENT; k += 1) {
      communes.push({
        insee: `${dep}${String(k * 7).padStart(3, '0')}`,
        postcode: `${dep}${String(k * 10 + 100).padStart(3, '0')}`,
        name: `Commune ${dep}-${k}`,
        // The inner ring around Paris; the outer départements anywhere in the region.
        lon: isInner ? 2.35 + (random() - 0.5) * 0.4 : IDF.minLon + random() * (IDF.maxLon - IDF.minLon),
        lat: isInner ? 48.86 + (random() - 0.5) * 0.26 : IDF.minLat + random() * (IDF.maxLat - IDF.minLat),
        radius: 1_500,
      });
    }
  }
  return communes;
}

/**
 * Writes a gzipped BAN file of `rows` addresses: each commune takes its share as real street names
 * (a different random set per commune), each street a straight line of 1 to 80 numbers, 6 m apart,
 * odd and even on either side; one in twenty has a `bis`.
 */
async function writeSyntheticBanFile(file: string, rows: number): Promise<{ streets: number; communes: number }> {
  const random = createRandom(2026);
  const { streets: names, arrondissements } = readDemoFixture();
  const communes = makeCommunes(random, arrondissements);
  const gzip = createGzip({ level: 1 });
  const output = gzip.pipe(createWriteStream(file));
  const write = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  await write(`${BAN_HEADER.join(';')}\n`);
  const quota = Math.ceil(rows / communes.length);
  let written = 0;
  let streets = 0;
  for (const commune of communes) {
    const order = names.map((name) => ({ name, key: random() })).sort((a, b) => a.key - b.key);
    let inCommune = 0;
    for (let s = 0; inCommune < quota && written < rows; s += 1) {
      const name = order[s % order.length]!.name;
      const streetCode = s.toString(16).padStart(4, '0');
      const metresLat = 1 / 111_320;
      const metresLon = metresLat / Math.cos((commune.lat * Math.PI) / 180);
      const startLon = commune.lon + (random() * 2 - 1) * commune.radius * metresLon;
      const startLat = commune.lat + (random() * 2 - 1) * commune.radius * metresLat;
      const bearing = random() * 2 * Math.PI;
      const count = 1 + Math.floor(random() ** 2 * 80);
      const lines: string[] = [];
      for (let n = 1; n <= count && inCommune < quota && written < rows; n += 1) {
        const along = n * 6;
        const side = n % 2 === 0 ? 10 : -10;
        const lon = startLon + (Math.cos(bearing) * along - Math.sin(bearing) * side) * metresLon;
        const lat = startLat + (Math.sin(bearing) * along + Math.cos(bearing) * side) * metresLat;
        const rep = random() < 0.05 ? 'bis' : '';
        const row: Record<string, string> = {
          id: `${commune.insee}_${streetCode}_${String(n).padStart(5, '0')}${rep ? `_${rep}` : ''}`,
          numero: String(n),
          rep,
          nom_voie: name,
          code_postal: commune.postcode,
          code_insee: commune.insee,
          nom_commune: commune.name,
          lon: lon.toFixed(6),
          lat: lat.toFixed(6),
          type_position: 'entrée',
          source_position: 'bench',
        };
        lines.push(BAN_HEADER.map((column) => row[column] ?? '').join(';'));
        inCommune += 1;
        written += 1;
      }
      streets += 1;
      await write(`${lines.join('\n')}\n`);
    }
  }
  gzip.end();
  await finished(output);
  return { streets, communes: communes.length };
}

/**
 * Runs `npm run addresses:import` (the CLI, in its own Node process) on the file; samples the
 * process's peak resident set (VmHWM) every 100 ms while it runs.
 */
async function runImporter(file: string): Promise<{ stdout: string; seconds: number; peakRssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/core/src/cli/addresses-import.ts', file], {
    env: { ...process.env, DATABASE_URL: BENCH_URL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peakKb = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // The process has just ended.
    }
  };
  const sampler = setInterval(sample, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  if (code !== 0) throw new Error(`the importer exited with ${code}: ${stderr || stdout}`);
  return { stdout, seconds: (performance.now() - started) / 1000, peakRssMb: peakKb / 1024 };
}

interface SearchCase {
  q: string;
  near: { lon: number; lat: number };
  /** What the resident means: the address's label, or the street's label (name, postcode, city). */
  expected: string;
  sql: CapturedQuery[];
}

const ABBREVIATIONS: Record<string, string> = { rue: 'r.', boulevard: 'bd', avenue: 'av.', place: 'pl.' };
const plain = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/**
 * 50 partial queries as a resident types them, from 50 random addresses of the index, in five ways
 * ("12 rue de la roq", "rue roquette 12", "12 r. de la roquette 75011", "12 rue de la roquette",
 * "rue de la roq"), each with the map centred within about a kilometre of the address.
 */
async function makeSearchCases(pool: Pool): Promise<SearchCase[]> {
  const random = createRandom(14);
  const { rows } = await pool.query<{
    number: number;
    label: string;
    name: string;
    postcode: string;
    city: string;
    lon: number;
    lat: number;
  }>(
    `SELECT a.number, a.label, s.name, s.postcode, s.city, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat
       FROM addresses a JOIN address_streets s ON s.id = a.street_id
      WHERE a.suffix = '' ORDER BY md5(a.id) LIMIT 50`,
  );
  const geocoder = (db: Pool) => createLocalGeocoder(db);
  return Promise.all(
    rows.map(async (row, i) => {
      const words = plain(row.name).toLowerCase().replace(/'/g, "' ").split(/\s+/);
      let key = words.length - 1;
      while (key > 0 && words[key]!.replace(/\W/g, '').length < 4) key -= 1;
      const typed = words[key]!.slice(0, 3 + Math.floor(random() * 3));
      const before = words.slice(0, key).join(' ').replace(/' /g, "'");
      const q = [
        `${row.number} ${before} ${typed}`,
        `${words[0]} ${words[key]} ${row.number}`,
        `${row.number} ${words.map((w) => ABBREVIATIONS[w] ?? w).join(' ')} ${row.postcode}`.replace(/' /g, "'"),
        `${row.number} ${plain(row.name).toLowerCase()}`,
        `${before} ${typed}`,
      ][i % 5]!.trim();
      const expected = i % 5 === 4 ? `${row.name} ${row.postcode} ${row.city}` : row.label;
      const near = { lon: row.lon + (random() - 0.5) * 0.02, lat: row.lat + (random() - 0.5) * 0.02 };
      const { sql } = await captureQueries(pool, (db) => geocoder(db).search(q, near));
      return { q, near, expected, sql };
    }),
  );
}

/** 200 points within about 100 m of random addresses, and 20 anywhere in the region. */
async function makeReversePoints(pool: Pool): Promise<{ lon: number; lat: number }[]> {
  const random = createRandom(15);
  const { rows } = await pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM addresses ORDER BY md5(id || 'reverse') LIMIT 200`,
  );
  const points = rows.map((r) => ({ lon: r.lon + (random() - 0.5) * 0.0026, lat: r.lat + (random() - 0.5) * 0.0018 }));
  for (let i = 0; i < 20; i += 1) {
    points.push({
      lon: IDF.minLon + random() * (IDF.maxLon - IDF.minLon),
      lat: IDF.minLat + random() * (IDF.maxLat - IDF.minLat),
    });
  }
  return points;
}

/** Cycles through `items`, one per call: the ith call of `fn` gets item i modulo their number. */
function cycling<T>(items: T[], fn: (item: T) => Promise<unknown>): () => Promise<unknown> {
  let i = 0;
  return () => fn(items[i++ % items.length]!);
}

async function explain(pool: Pool, sql: CapturedQuery): Promise<string> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values);
  return rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n');
}

export async function run(): Promise<void> {
  const pool = createPool({
    connectionString: BENCH_URL,
    max: 2,
    statementTimeoutMs: 0,
    applicationName: 'pave-bench',
  });
  const file = path.join(tmpdir(), `pave-bench-addresses-${process.pid}.csv.gz`);
  const { rows: held } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM addresses');
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    let t = performance.now();
    const made = await writeSyntheticBanFile(file, ROWS);
    console.log(
      `synthetic BAN file: ${ROWS.toLocaleString('en')} addresses on ${made.streets.toLocaleString('en')} streets in ${made.communes} communes (${((performance.now() - t) / 1000).toFixed(1)} s to write, gzipped, in ${tmpdir()})`,
    );

    const imported = await runImporter(file);
    const read = Number(/(\d+) rows read/.exec(imported.stdout)?.[1] ?? NaN);
    const importerSeconds = Number(/\((\d+\.\d) s\)/.exec(imported.stdout)?.[1] ?? NaN);
    console.log(`importer: ${imported.stdout.trim()}`);
    t = performance.now();
    const { rows: sizes } = await pool.query<{ streets: number; addresses: number }>(
      'SELECT (SELECT count(*)::int FROM address_streets) AS streets, (SELECT count(*)::int FROM addresses) AS addresses',
    );
    console.log(
      `index: ${sizes[0]!.addresses.toLocaleString('en')} addresses, ${sizes[0]!.streets.toLocaleString('en')} streets`,
    );

    app = await buildApp(
      loadApiConfig({
        DATABASE_URL: BENCH_URL,
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: '',
        QUEUE_PREFIX: `pave-bench-addresses-${process.pid}`,
        GEOCODER: 'local',
      }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const api = app;
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const get = async (url: string, ok: number[] = [200]) => {
      const response = await fetch(`${base}${url}`);
      const body = (await response.json()) as unknown;
      if (!ok.includes(response.status)) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
      return body;
    };
    const direct = async (statements: CapturedQuery[]) => {
      for (const s of statements) await pool.query(s.text, s.values);
    };

    const cases = await makeSearchCases(pool);
    const missed: string[] = [];
    for (const c of cases) {
      const params = new URLSearchParams({ q: c.q, lon: String(c.near.lon), lat: String(c.near.lat) });
      const { results } = (await get(`/api/geocode/search?${params}`)) as { results: { label: string }[] };
      if (results[0]?.label !== c.expected)
        missed.push(`"${c.q}" → ${results[0]?.label ?? 'nothing'} (meant ${c.expected})`);
    }
    const foundFirst = cases.length - missed.length;
    const search = await measurePair(
      cycling(cases, (c) =>
        get(`/api/geocode/search?${new URLSearchParams({ q: c.q, lon: String(c.near.lon), lat: String(c.near.lat) })}`),
      ),
      cycling(cases, (c) => direct(c.sql)),
      { iterations: cases.length * ROUNDS, warmup: cases.length },
    );

    // The same requests through Fastify's router, hooks, validation and serialisation without the
    // socket (app.inject): what the API layer itself adds to its SQL.
    const injected = await measurePair(
      cycling(cases, async (c) => {
        const response = await api.inject({
          url: '/api/geocode/search',
          query: { q: c.q, lon: String(c.near.lon), lat: String(c.near.lat) },
        });
        if (response.statusCode !== 200) throw new Error(`${c.q}: ${response.statusCode} ${response.body}`);
      }),
      cycling(cases, (c) => direct(c.sql)),
      { iterations: cases.length * ROUNDS, warmup: cases.length },
    );

    // What any request costs here, with no SQL at all: the part of the API's time the ratio cannot shrink.
    const floor = await measure(() => get('/api/health/live'), { iterations: 100, warmup: 10 });

    const points = await makeReversePoints(pool);
    const reverseSql = await Promise.all(
      points.map(async (p) => (await captureQueries(pool, (db) => createLocalGeocoder(db).reverse(p.lon, p.lat))).sql),
    );
    const reverse = await measurePair(
      cycling(points, (p) => get(`/api/geocode/reverse?lon=${p.lon}&lat=${p.lat}`, [200, 404])),
      cycling(reverseSql, direct),
      { iterations: points.length, warmup: 20 },
    );

    const ms = (s: number) => `${s.toFixed(1)} ms`;
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const ratio = search.subject.p50 / search.baseline.p50;
    const table: [string, string, string, string][] = [
      ['figure', 'target', 'measured', ''],
      [
        'import rate (rows read / importer time)',
        '—',
        `${Math.round(read / importerSeconds).toLocaleString('en')} rows/s`,
        `${read.toLocaleString('en')} rows in ${importerSeconds} s (process ${imported.seconds.toFixed(1)} s)`,
      ],
      ['importer peak RSS (VmHWM)', '—', `${imported.peakRssMb.toFixed(0)} MB`, 'the Node process, not PostgreSQL'],
      [
        'autocomplete API p50',
        `≤ ${TARGETS.searchP50} ms`,
        ms(search.subject.p50),
        verdict(search.subject.p50 <= TARGETS.searchP50),
      ],
      ['autocomplete API p95', '—', ms(search.subject.p95), `n=${search.subject.n}, HTTP`],
      ['autocomplete SQL p50 (baseline)', '—', ms(search.baseline.p50), `p95 ${ms(search.baseline.p95)}`],
      ['autocomplete API / SQL (p50)', `≤ ${TARGETS.ratio}×`, `${ratio.toFixed(2)}×`, verdict(ratio <= TARGETS.ratio)],
      [
        'autocomplete API − SQL (p50)',
        '—',
        ms(search.subject.p50 - search.baseline.p50),
        `HTTP floor: GET /api/health/live p50 ${ms(floor.p50)}`,
      ],
      [
        'autocomplete API / SQL, in-process (p50)',
        '—',
        `${(injected.subject.p50 / injected.baseline.p50).toFixed(2)}×`,
        `app.inject p50 ${ms(injected.subject.p50)} against SQL ${ms(injected.baseline.p50)}: the API layer without the socket`,
      ],
      ['autocomplete: intended result first', '—', `${foundFirst}/${cases.length}`, ''],
      [
        'reverse API p50',
        `≤ ${TARGETS.reverseP50} ms`,
        ms(reverse.subject.p50),
        verdict(reverse.subject.p50 <= TARGETS.reverseP50),
      ],
      ['reverse API p95', '—', ms(reverse.subject.p95), `n=${reverse.subject.n}, HTTP`],
      ['reverse SQL p50 (baseline)', '—', ms(reverse.baseline.p50), `p95 ${ms(reverse.baseline.p95)}`],
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) {
      console.log(
        `  ${row
          .slice(0, 3)
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')}  ${row[3]}`,
      );
    }
    console.log(
      `  (${cases.length} queries × ${ROUNDS} and ${points.length} points, API over HTTP on ${base} and its own SQL sent directly, alternated ABBA; e.g. ${cases
        .slice(0, 5)
        .map((c) => `"${c.q}"`)
        .join(', ')})`,
    );
    for (const miss of missed) console.log(`  (not first: ${miss})`);
    const fuzzy = cases.filter((c) => c.sql.length > 1).length;
    if (fuzzy > 0)
      console.log(`  (${fuzzy} of the ${cases.length} queries fell back to trigram similarity: two statements)`);
    if (process.env.BENCH_EXPLAIN || search.subject.p95 > TARGETS.searchP50) {
      const slowest = await slowestCase(pool, cases);
      console.log(
        `  EXPLAIN ANALYZE of the slowest query, "${slowest.q}":\n${await explain(pool, slowest.sql.at(-1)!)}`,
      );
    }
  } finally {
    await app?.close();
    rmSync(file, { force: true });
    // The synthetic index is 1M rows: leave the database as it was (the demo city's addresses, if it had them).
    if (!KEEP_INDEX) {
      await pool.query('TRUNCATE address_streets, addresses');
      if (held[0]!.n > 0) await seedDemoAddresses(pool);
    }
    await pool.end();
  }
}

async function slowestCase(pool: Pool, cases: SearchCase[]): Promise<SearchCase> {
  let slowest = { case: cases[0]!, ms: 0 };
  for (const c of cases) {
    const start = performance.now();
    for (const s of c.sql) await pool.query(s.text, s.values);
    const ms = performance.now() - start;
    if (ms > slowest.ms) slowest = { case: c, ms };
  }
  return slowest.case;
}
