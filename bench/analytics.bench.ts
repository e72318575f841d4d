// Council analytics at Paris scale over the 1M-report fixture (`npm run seed:bench -- --reports 1000000`):
// the city-wide heat-map at district scale against its hand-written SQL, a year of summary figures,
// trends and clusters for context, and the CSV export's rate and the process's peak memory.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createPool,
  createStaffUser,
  listQueue,
  runInTownScope,
  scopePoolByTown,
  withTransaction,
  type Pool,
  type StaffUser,
} from '@pave/core';
import {
  applySummarySettings,
  findSummaryFigures,
  type AnalyticsFilter,
} from '../packages/core/src/analytics/analytics.repo';
import { DURATION_RELATIVE_ERROR } from '../packages/core/src/analytics/duration-histogram';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/config';
import { measure, measurePair, report, type Stats } from './lib';

const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench';
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const HALF = 20037508.342789244;
// District scale: zoom 13, 8 cells per tile, 611 m cells: ~300 cells over Paris.
const ZOOM = 13;
const CELL = (2 * HALF) / 2 ** ZOOM / 8;

// The same cells as the endpoint, hand-written: integer keys on the stored x/y over the period.
const RAW_HEATMAP = `
  SELECT floor((x_3857 + ${HALF}) / $3)::int AS i, floor((y_3857 + ${HALF}) / $3)::int AS j,
         count(*)::int AS count, count(*) FILTER (WHERE closed_at IS NULL)::int AS open
    FROM reports
   WHERE created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
     AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
   GROUP BY 1, 2`;
// For context only: the naive way, transforming and snapping every row's geometry.
const TRAP_HEATMAP = `
  SELECT ST_SnapToGrid(ST_Transform(geom, 3857), $3) AS cell, count(*)
    FROM reports
   WHERE created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
     AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
   GROUP BY 1`;

function line(name: string, s: Stats): string {
  return `${name}: p50 ${s.p50.toFixed(1)} ms (p90 ${s.p90.toFixed(1)}, n=${s.n})`;
}

/**
 * CPU time the PostgreSQL backend spends on `work` (Linux /proc, database on this machine), median of
 * `runs`: on a shared, loaded machine wall time mostly measures the queue for a core, CPU time does not.
 * Null when the backend's /proc entry cannot be read.
 */
async function backendCpuMs(pool: Pool, work: (db: Pool) => Promise<unknown>, runs = 5): Promise<number | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Clock ticks of 10 ms: the backend's own time, plus what the postmaster's exited children used
    // (parallel workers are its children; an autovacuum worker ending meanwhile would count too).
    const postmaster = stat(rows[0]!.pid)[1]!;
    const read = () => {
      const backend = stat(rows[0]!.pid);
      const children = stat(postmaster);
      return ((Number(backend[11]) + Number(backend[12]) + Number(children[13]) + Number(children[14])) * 1000) / 100;
    };
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const before = read();
      await work(client as unknown as Pool);
      times.push(read() - before);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  } catch {
    return null;
  } finally {
    client.release();
  }
}

function day(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(ms));
}

export async function run(): Promise<void> {
  const pool = createPool({ connectionString: BENCH_URL, max: 2, applicationName: 'pave-bench' });
  const { rows } = await pool.query<{ n: number; newest: Date }>(
    'SELECT count(*)::int AS n, max(created_at) AS newest FROM reports',
  );
  const total = rows[0]!.n;
  if (total < 900_000) {
    console.log(
      `analytics bench: ${BENCH_URL} holds ${total} reports; run \`npm run seed:bench -- --reports 1000000\` first`,
    );
    await pool.end();
    return;
  }
  // The year up to the fixture's newest report, and the five years holding all of it.
  const to = day(rows[0]!.newest.getTime());
  const from = day(Date.parse(`${to}T12:00:00Z`) - 364 * 86_400_000);
  const from5 = day(Date.parse(`${to}T12:00:00Z`) - 1826 * 86_400_000);
  const email = `bench-${randomBytes(4).toString('hex')}@ville.test`;
  const password = randomBytes(12).toString('hex');
  await createStaffUser(pool, { email, password, role: 'council' });

  const app = await buildApp(
    loadApiConfig({ DATABASE_URL: BENCH_URL, LOG_LEVEL: 'silent', WEB_DIST_DIR: '', QUEUE_PREFIX: 'pave-bench' }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const get = async (url: string): Promise<number> => {
      const response = await fetch(`${base}${url}`, { headers: { cookie } });
      const body = await response.arrayBuffer();
      if (response.status !== 200)
        throw new Error(`${url}: ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
      return body.byteLength;
    };
    const { rows: counted } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports WHERE created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
          AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`,
      [from, to],
    );
    console.log(
      `fixture: ${total.toLocaleString('en')} reports; one year ${from}..${to} holds ${counted[0]!.n.toLocaleString('en')}; ` +
        `${ITERATIONS} timed runs per figure after 3 warm-ups, endpoint and raw SQL alternated, over HTTP on ${base}`,
    );

    const heatmapUrl = `/api/analytics/heatmap?from=${from}&to=${to}&zoom=${ZOOM}`;
    const bytes = await get(heatmapUrl);
    const heatmap = await measurePair(
      () => get(heatmapUrl),
      () => pool.query(RAW_HEATMAP, [from, to, CELL]),
      { iterations: ITERATIONS },
    );
    const trap = await measure(() => pool.query(TRAP_HEATMAP, [from, to, CELL]), { iterations: 3, warmup: 1 });
    console.log(
      `heat-map, city-wide, zoom ${ZOOM} (${CELL.toFixed(0)} m cells), one year (${bytes.toLocaleString('en')} bytes)`,
    );
    console.log(`  ${line('raw SQL', heatmap.baseline)}`);
    report(`  GET ${heatmapUrl}`, heatmap.subject, heatmap.baseline, { maxRatio: 1.3 });
    console.log(`  p50 ${heatmap.subject.p50 <= 300 ? 'within' : 'OVER'} target ≤ 300 ms`);
    console.log(`  (context: ${line('per-row ST_Transform + ST_SnapToGrid', trap)})`);
    const heatmapCpu = await backendCpuMs(pool, (db) => db.query(RAW_HEATMAP, [from, to, CELL]));
    if (heatmapCpu !== null)
      console.log(
        `  (context: PostgreSQL CPU per heat-map query (backend and parallel workers), median of 5: ${heatmapCpu} ms)`,
      );

    const filter: AnalyticsFilter = {
      from,
      to,
      categoryIds: null,
      statuses: null,
      areaIds: null,
      teamIds: null,
      towns: null,
    };
    for (const by of ['area', 'team'] as const) {
      const url = `/api/analytics/summary?from=${from}&to=${to}&by=${by}`;
      const summary = await measurePair(
        () => get(url),
        () => exactSummary(pool, by, from, to),
        { iterations: ITERATIONS },
      );
      console.log(
        `${line(`GET ${url}`, summary.subject)} → ${summary.subject.p50 <= 500 ? 'within' : 'OVER'} target ≤ 500 ms`,
      );
      console.log(`  (context: ${line('exact percentile_cont SQL, the same figures, direct', summary.baseline)})`);
      console.log(`  ${await estimateErrors(pool, filter, by)}`);
    }
    await perTown({ pool, base, cookie, email, password, from, to });

    const summaryCpu = await backendCpuMs(pool, async (db) => {
      await db.query('BEGIN');
      await applySummarySettings(db);
      await findSummaryFigures(db, filter, 'area');
      await db.query('COMMIT');
    });
    if (summaryCpu !== null)
      console.log(
        `  (context: PostgreSQL CPU per summary query (backend and parallel workers), median of 5: ${summaryCpu} ms)`,
      );
    const trends = await measure(() => get(`/api/analytics/trends?from=${from}&to=${to}`), {
      iterations: 5,
      warmup: 1,
    });
    console.log(`  (context: ${line('GET /api/analytics/trends, one year', trends)})`);
    const clusters = await measure(() => get(`/api/analytics/clusters?from=${from}&to=${to}`), {
      iterations: 5,
      warmup: 1,
    });
    console.log(`  (context: ${line('GET /api/analytics/clusters, one year of open reports, 50 m', clusters)})`);

    // The export: every report of five years over HTTP, counted as it arrives, the process's memory sampled.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const response = await fetch(`${base}/api/exports/reports.csv?from=${from5}&to=${to}`, { headers: { cookie } });
    let lines = 0;
    let exported = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      exported += chunk.byteLength;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const rows5 = lines - 1;
    console.log(
      `CSV export, ${from5}..${to}: ${rows5.toLocaleString('en')} rows, ${(exported / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s → ` +
        `${Math.round(rows5 / seconds).toLocaleString('en')} rows/s; process RSS ${(rssBefore / 1e6).toFixed(0)} MB before, ` +
        `peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - rssBefore) / 1e6).toFixed(0)} MB; API and downloading client in one process)`,
    );
    console.log(
      `  (context: this Node process used ${cpuSeconds.toFixed(1)} s of CPU for it, API and client: ` +
        `${Math.round(rows5 / cpuSeconds).toLocaleString('en')} rows per CPU-second)`,
    );
  } finally {
    await app.close();
    await pool.query('DELETE FROM staff_users WHERE email = $1 OR email LIKE $2', [email, `town%-${email}`]);
    await pool.end();
  }
}

/**
 * The summary's figures computed exactly, as the endpoint did before its times were counted in bins
 * (percentile_cont over every duration, per key and for the total, in two branches run side by side):
 * the baseline for its time and the reference for its error. Keyed on ids.
 */
function exactSummarySql(by: 'area' | 'team'): string {
  const period = `r.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
                  AND r.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
  return `
    SELECT 0 AS part, key, grouping(key) = 1 AS is_total, count(*)::int AS received,
           count(*) FILTER (WHERE is_open)::int AS open, count(ack_s)::int AS n,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ack_s) AS p,
           count(*) FILTER (WHERE deadline_known)::int AS deadline_n,
           count(*) FILTER (WHERE deadline_known AND within_deadline)::int AS deadline_within,
           count(*) FILTER (WHERE was_reopened)::int AS reopened
      FROM (SELECT r.${by}_id AS key, date_part('epoch', r.acknowledged_at - r.created_at) AS ack_s,
                   r.closed_at IS NULL AS is_open,
                   r.deadline_at IS NOT NULL AND r.status NOT IN ('rejected', 'duplicate', 'transferred')
                     AND (r.status = 'resolved' OR r.deadline_at < now()) AS deadline_known,
                   r.status = 'resolved' AND r.closed_at <= r.deadline_at AS within_deadline,
                   r.reopen_count > 0 AS was_reopened
              FROM reports r WHERE ${period}) hits
     GROUP BY GROUPING SETS ((key), ())
    UNION ALL
    SELECT 1, key, grouping(key) = 1, 0, 0, count(*)::int,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY resolve_s), 0, 0, 0
      FROM (SELECT r.${by}_id AS key, date_part('epoch', r.closed_at - r.created_at) AS resolve_s
              FROM reports r WHERE ${period} AND r.status = 'resolved') resolved
     GROUP BY GROUPING SETS ((key), ())`;
}

interface ExactRow {
  part: 0 | 1;
  key: number | null;
  is_total: boolean;
  n: number;
  p: [number, number] | null;
}

async function exactSummary(pool: Pool, by: 'area' | 'team', from: string, to: string): Promise<ExactRow[]> {
  return withTransaction(pool, async (tx) => {
    await applySummarySettings(tx);
    return (await tx.query<ExactRow>(exactSummarySql(by), [from, to])).rows;
  });
}

/**
 * How far the summary's estimated times are from the exact ones, over every key with a time (medians
 * and 90th percentiles, acknowledgement and resolution): the largest and the median relative error.
 */
async function estimateErrors(pool: Pool, filter: AnalyticsFilter, by: 'area' | 'team'): Promise<string> {
  const exact = await exactSummary(pool, by, filter.from, filter.to);
  const estimated = await withTransaction(pool, async (tx) => {
    await applySummarySettings(tx);
    return findSummaryFigures(tx, filter, by);
  });
  const id = (key: unknown, isTotal: boolean) => (isTotal ? 'total' : String(key));
  const byId = new Map(estimated.map((row) => [id(row.key, row.is_total), row]));
  const errors: number[] = [];
  let countsDiffer = 0;
  for (const row of exact) {
    const mine = byId.get(id(row.key, row.is_total));
    const [n, p] = row.part === 0 ? [mine?.ack_n, mine?.ack_p] : [mine?.resolve_n, mine?.resolve_p];
    if (n !== row.n) countsDiffer += 1;
    if (!row.p || !p) continue;
    for (const i of [0, 1]) if (row.p[i]! > 0) errors.push(Math.abs(p[i]! / row.p[i]! - 1));
  }
  errors.sort((a, b) => a - b);
  const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
  return (
    `estimated times against exact percentile_cont, by ${by}: ${errors.length} medians and 90th percentiles, ` +
    `largest error ${pct(errors[errors.length - 1] ?? 0)}, median ${pct(errors[Math.floor(errors.length / 2)] ?? 0)} ` +
    `(stated bound ${pct(DURATION_RELATIVE_ERROR)}); counts differing: ${countsDiffer}`
  );
}

/**
 * Per town (issue #19): the summary of the busiest town's council, then of a median-sized town's, each
 * over that town's share of the fixture, beside the city-wide summary (a metropolitan council) in the
 * same alternated run; then the staff queue of a supervisor in the busiest town's scope (row-level
 * security, migration 030) against the same queue town-blind, as the pool's owner reads it.
 */
async function perTown(ctx: {
  pool: Pool;
  base: string;
  /** The city-wide council's session and e-mail. */
  cookie: string;
  email: string;
  password: string;
  from: string;
  to: string;
}) {
  const { pool, base, from, to } = ctx;
  // The busiest town (the hardest case: Paris, half of the fixture) and a town of median size.
  const { rows: towns } = await pool.query<{ code: string; name: string; n: number; total: number }>(
    `SELECT town_code AS code, (SELECT name FROM towns WHERE code = town_code) AS name, count(*)::int AS n,
            sum(count(*)) OVER ()::int AS total
       FROM reports WHERE town_code IS NOT NULL GROUP BY town_code ORDER BY n DESC`,
  );
  const town = towns[0];
  if (!town?.code) {
    console.log('per-town figures: no report of the fixture has a town (seed it with migration 028 applied)');
    return;
  }
  const get = async (cookie: string, url: string) => {
    const response = await fetch(`${base}${url}`, { headers: { cookie } });
    const body = (await response.json()) as { total: { received: number } };
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return body;
  };
  const url = `/api/analytics/summary?from=${from}&to=${to}&by=area`;
  const median = towns[Math.floor(towns.length / 2)]!;
  for (const [index, measured] of [town, median].entries()) {
    const email = `town${index}-${ctx.email}`;
    await createStaffUser(pool, { email, password: ctx.password, role: 'council', townCode: measured.code });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: ctx.password }),
    });
    const townCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const received = (await get(townCookie, url)).total.received;
    const pair = await measurePair(
      () => get(townCookie, url),
      () => get(ctx.cookie, url),
      { iterations: ITERATIONS },
    );
    const share = ((100 * measured.n) / measured.total).toFixed(measured.n * 100 < measured.total ? 2 : 0);
    console.log(
      `per town, ${index === 0 ? 'the busiest' : 'one of median size'}: ${measured.name} (${measured.code}) holds ` +
        `${measured.n.toLocaleString('en')} of ${measured.total.toLocaleString('en')} reports (${share} %); ` +
        `its council's summary counts ${received.toLocaleString('en')} in the year`,
    );
    console.log(`  ${line(`GET ${url}, city-wide (metropolitan council)`, pair.baseline)}`);
    console.log(
      `  ${line(`GET ${url}, ${measured.name}'s council (town scope)`, pair.subject)} → ${pair.subject.p50 <= 200 ? 'within' : 'OVER'} target ≤ 200 ms`,
    );
  }

  // The staff queue, a supervisor of the busiest service: town scope (RLS) against the owner's plain read.
  const { rows: services } = await pool.query<{ service: string }>(
    `SELECT t.service FROM reports r JOIN teams t ON t.id = r.team_id WHERE r.closed_at IS NULL
      GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  );
  const scoped = scopePoolByTown(createPool({ connectionString: BENCH_URL, max: 2, applicationName: 'pave-bench' }));
  try {
    const supervisor: StaffUser = {
      id: 0,
      email: 's@bench',
      displayName: 's',
      role: 'supervisor',
      teamId: null,
      service: services[0]?.service ?? 'voirie',
      townCode: town.code,
    };
    for (const scope of [town.code, '*']) {
      const queue = await measurePair(
        () => runInTownScope(scope, () => listQueue({ db: scoped }, supervisor, {})),
        () => listQueue({ db: pool }, supervisor, {}),
        { iterations: 200, warmup: 10 },
      );
      report(
        `staff queue page, supervisor of "${supervisor.service}", scope ${scope === '*' ? "'*' (metropolitan)" : town.code} vs town-blind`,
        queue.subject,
        queue.baseline,
        { maxRatio: 1.2 },
      );
    }
  } finally {
    await scoped.end();
  }
}
