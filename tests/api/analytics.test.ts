import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { useStack } from '../support/stack';

// Known data, inserted with explicit event times; every figure the API gives is recomputed here in
// plain JavaScript from the same specs (never read back from SQL), then compared.

const stack = useStack({ staff: STAFF_OF_EACH_ROLE });
type Who = 'anonymous' | keyof typeof stack.staff;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const OPEN = ['new', 'acknowledged', 'scheduled', 'in_progress', 'reopened'];
const MERCATOR_HALF = 20037508.342789244;

interface Spec {
  ref?: string;
  category: string;
  group: string;
  area: string;
  team: string | null;
  status: string;
  lon: number;
  lat: number;
  createdAt: number;
  ackAt: number | null;
  closedAt: number | null;
  deadlineAt: number | null;
  reopenCount: number;
}

/** A small deterministic generator (mulberry32): the data is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = [
  { code: 'nid-de-poule', group: 'voirie', domain: 'voirie', deadlineH: 48 },
  { code: 'trottoir-degrade', group: 'voirie', domain: 'voirie', deadlineH: 168 },
  { code: 'depot-sauvage', group: 'proprete', domain: 'proprete', deadlineH: 24 },
  { code: 'tag-facade', group: 'graffitis', domain: 'proprete', deadlineH: 168 },
  { code: 'lampadaire-eteint', group: 'eclairage', domain: 'eclairage', deadlineH: 72 },
];
// paris-04 gets 6 reports only: its figures must be withheld.
const AREAS = [
  { code: 'paris-11', n: '11', lon: 2.379, lat: 48.859, weight: 0.49 },
  { code: 'paris-15', n: '15', lon: 2.293, lat: 48.841, weight: 0.49 },
  { code: 'paris-04', n: '04', lon: 2.357, lat: 48.854, weight: 0.02 },
];
const STATUSES: [string, number][] = [
  ['resolved', 0.55],
  ['rejected', 0.08],
  ['duplicate', 0.04],
  ['acknowledged', 0.1],
  ['scheduled', 0.05],
  ['in_progress', 0.05],
  ['new', 0.1],
  ['reopened', 0.03],
];

function pick<T>(r: number, items: [T, number][]): T {
  let sum = 0;
  for (const [item, weight] of items) {
    sum += weight;
    if (r < sum) return item;
  }
  return items[items.length - 1]![0];
}

function buildSpecs(count: number, seed: number, ageDays: [number, number]): Spec[] {
  const rnd = random(seed);
  const specs: Spec[] = [];
  for (let k = 0; k < count; k += 1) {
    const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!;
    const area =
      k < 6
        ? AREAS[2]!
        : pick(
            rnd(),
            AREAS.slice(0, 2).map((a) => [a, 0.5] as [typeof a, number]),
          );
    const status = pick(rnd(), STATUSES);
    const createdAt = NOW - (ageDays[0] + rnd() * (ageDays[1] - ageDays[0])) * DAY;
    const routed = rnd() > 0.05;
    const ackAt = status === 'new' ? null : createdAt + (0.2 + rnd() * 120) * HOUR;
    const isClosed = !OPEN.includes(status);
    const closedAt = isClosed ? Math.min(ackAt! + rnd() * 400 * HOUR, NOW - HOUR) : null;
    specs.push({
      category: category.code,
      group: category.group,
      area: area.code,
      team: routed ? (category.domain === 'eclairage' ? 'eclairage' : `${category.domain}-${area.n}`) : null,
      status,
      lon: area.lon + (rnd() - 0.5) * 0.02,
      lat: area.lat + (rnd() - 0.5) * 0.012,
      createdAt,
      ackAt: ackAt === null ? null : Math.min(ackAt, closedAt ?? ackAt),
      closedAt,
      deadlineAt: routed ? createdAt + category.deadlineH * HOUR : null,
      reopenCount: status === 'reopened' ? 1 + Math.floor(rnd() * 2) : status === 'resolved' && rnd() < 0.08 ? 1 : 0,
    });
  }
  return specs;
}

async function insertSpecs(specs: Spec[]): Promise<void> {
  for (const s of specs) {
    const { rows } = await stack.pool.query<{ ref: string }>(
      `INSERT INTO reports (category_id, geom, area_id, team_id, status, created_at, updated_at, acknowledged_at,
                            closed_at, deadline_at, reopen_count, reporter_email, description)
       VALUES ((SELECT id FROM categories WHERE code = $1), ST_SetSRID(ST_MakePoint($2, $3), 4326),
               (SELECT id FROM service_areas WHERE code = $4), (SELECT id FROM teams WHERE code = $5), $6,
               $7::timestamptz, coalesce($9::timestamptz, $8::timestamptz, $7::timestamptz), $8, $9, $10, $11, 'someone@example.org', 'Appelez-moi')
       RETURNING ref`,
      [
        s.category,
        s.lon,
        s.lat,
        s.area,
        s.team,
        s.status,
        new Date(s.createdAt),
        s.ackAt === null ? null : new Date(s.ackAt),
        s.closedAt === null ? null : new Date(s.closedAt),
        s.deadlineAt === null ? null : new Date(s.deadlineAt),
        s.reopenCount,
      ],
    );
    s.ref = rows[0]!.ref;
  }
}

/** percentile_cont: linear interpolation between the two closest ranks. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * The summary's times are estimates within its stated precision (logarithmic bins, see
 * packages/core/src/analytics/duration-histogram.ts): 5.13 %, checked in the summary test.
 */
const DURATION_PRECISION = 0.0513;

function expectWithin(actual: number | null, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(exact * DURATION_PRECISION);
}

/** The figures of one summary row, computed from specs. */
function expectedFigures(list: Spec[]) {
  const ack = list.filter((s) => s.ackAt !== null).map((s) => (s.ackAt! - s.createdAt) / 1000);
  const resolve = list.filter((s) => s.status === 'resolved').map((s) => (s.closedAt! - s.createdAt) / 1000);
  const known = list.filter(
    (s) =>
      s.deadlineAt !== null &&
      !['rejected', 'duplicate', 'transferred'].includes(s.status) &&
      (s.status === 'resolved' || s.deadlineAt < NOW),
  );
  const within = known.filter((s) => s.status === 'resolved' && s.closedAt! <= s.deadlineAt!);
  const reopened = list.filter((s) => s.reopenCount > 0);
  return {
    received: list.length,
    open: list.filter((s) => OPEN.includes(s.status)).length,
    ack,
    resolve,
    known,
    within,
    reopened,
  };
}

interface FigureBody {
  received: number;
  open: number;
  acknowledge: { n: number; insufficient: boolean; medianHours: number | null; p90Hours: number | null };
  resolve: { n: number; insufficient: boolean; medianHours: number | null; p90Hours: number | null };
  withinDeadline: { n: number; count: number; insufficient: boolean; rate: number | null };
  reopened: { n: number; count: number; insufficient: boolean; rate: number | null };
}

function expectFigures(row: FigureBody, list: Spec[]): void {
  const e = expectedFigures(list);
  expect(row.received).toBe(e.received);
  expect(row.open).toBe(e.open);
  expect(row.acknowledge.n).toBe(e.ack.length);
  expect(row.resolve.n).toBe(e.resolve.length);
  expect(row.withinDeadline).toMatchObject({ n: e.known.length, count: e.within.length });
  expect(row.reopened).toMatchObject({ n: e.received, count: e.reopened.length });
  if (e.ack.length >= 10) {
    expect(row.acknowledge.insufficient).toBe(false);
    expectWithin(row.acknowledge.medianHours, percentile(e.ack, 0.5) / 3600);
    expectWithin(row.acknowledge.p90Hours, percentile(e.ack, 0.9) / 3600);
  } else {
    expect(row.acknowledge).toMatchObject({ insufficient: true, medianHours: null, p90Hours: null });
  }
  if (e.resolve.length >= 10) {
    expectWithin(row.resolve.medianHours, percentile(e.resolve, 0.5) / 3600);
    expectWithin(row.resolve.p90Hours, percentile(e.resolve, 0.9) / 3600);
  } else {
    expect(row.resolve).toMatchObject({ insufficient: true, medianHours: null, p90Hours: null });
  }
  if (e.known.length >= 10) expect(row.withinDeadline.rate).toBeCloseTo(e.within.length / e.known.length, 9);
  else expect(row.withinDeadline).toMatchObject({ insufficient: true, rate: null });
  if (e.received >= 10) expect(row.reopened.rate).toBeCloseTo(e.reopened.length / e.received, 9);
  else expect(row.reopened).toMatchObject({ insufficient: true, rate: null });
}

/** `YYYY-MM-DD` of an instant in Europe/Paris. */
function parisDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(ms));
}

/** The instant of midnight starting a Paris day. */
function parisMidnight(day: string): number {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(utc))
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT+1" or "GMT+2"
  return utc - Number(offset.replace('GMT', '')) * HOUR;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

function monday(day: string): string {
  return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
}

const TO = parisDay(NOW);
const FROM = addDays(TO, -200);
const PERIOD = `from=${FROM}&to=${TO}`;
let inPeriod: Spec[];
let all: Spec[];

beforeAll(async () => {
  inPeriod = buildSpecs(320, 6, [1, 190]);
  // Outside the period: must count nowhere but in the backlog of the reports still open at its start.
  const before = buildSpecs(30, 7, [230, 300]);
  all = [...inPeriod, ...before];
  await insertSpecs(all);
}, 120_000);

describe('roles: council, supervisor and admin read analytics; a crew gets 403, no session 401', () => {
  const urls = [
    `/api/analytics/heatmap?${PERIOD}`,
    `/api/analytics/heatmap/14/8300/5636.mvt?${PERIOD}`,
    `/api/analytics/summary?${PERIOD}`,
    `/api/analytics/trends?${PERIOD}`,
    `/api/analytics/clusters?${PERIOD}`,
    `/api/exports/reports.csv?${PERIOD}`,
    `/api/exports/reports.geojson?${PERIOD}`,
  ];
  const expected: Record<Who, number> = { anonymous: 401, crew: 403, supervisor: 200, council: 200, admin: 200 };
  for (const url of urls) {
    it(url.split('?')[0]!, async () => {
      for (const who of Object.keys(expected) as Who[]) {
        const response = await stack.app.inject({ method: 'GET', url, headers: stack.as(who) });
        expect({ who, status: response.statusCode }).toEqual({ who, status: expected[who] });
        if (response.statusCode >= 400) {
          expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }
        expect(response.body).not.toContain('example.org');
        expect(response.body).not.toContain('Appelez');
      }
    });
  }
});

describe('GET /api/analytics/summary', () => {
  it('matches medians, 90th percentiles, within-deadline shares and reopen rates computed here, per area', async () => {
    const response = await stack.app.inject({
      url: `/api/analytics/summary?${PERIOD}&by=area`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ period: { from: FROM, to: TO }, by: 'area', minSample: 10 });
    // The precision the page states, and the one the figures below are held to.
    expect(body.durationPrecision).toBeCloseTo(DURATION_PRECISION, 4);
    expectFigures(body.total, inPeriod);
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual(['paris-04', 'paris-11', 'paris-15']);
    for (const row of body.rows) {
      expectFigures(
        row,
        inPeriod.filter((s) => s.area === row.key),
      );
    }
    // 6 reports: counts shown, no median and no rate.
    const small = body.rows.find((r: { key: string }) => r.key === 'paris-04');
    expect(small.received).toBe(6);
    expect(small.acknowledge.insufficient).toBe(true);
    expect(small.withinDeadline.rate).toBeNull();
  });

  it('per team, with the unrouted reports on a row of their own, ordered by label and never by a figure', async () => {
    const response = await stack.app.inject({
      url: `/api/analytics/summary?${PERIOD}&by=team`,
      headers: stack.as('admin'),
    });
    const body = response.json();
    const keys = body.rows.map((r: { key: string | null }) => r.key);
    expect(keys[keys.length - 1]).toBeNull();
    const labels = body.rows.slice(0, -1).map((r: { label: { fr: string } }) => r.label.fr);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'fr', { numeric: true })));
    for (const row of body.rows)
      expectFigures(
        row,
        inPeriod.filter((s) => s.team === row.key),
      );
  });

  it('applies the category, group, status, area and team filters', async () => {
    const cases: [string, (s: Spec) => boolean][] = [
      ['group=voirie', (s) => s.group === 'voirie'],
      ['category=depot-sauvage,tag-facade', (s) => ['depot-sauvage', 'tag-facade'].includes(s.category)],
      ['group=voirie&category=nid-de-poule,depot-sauvage', (s) => s.category === 'nid-de-poule'],
      ['status=open', (s) => OPEN.includes(s.status)],
      ['status=resolved,rejected', (s) => ['resolved', 'rejected'].includes(s.status)],
      ['area=paris-15', (s) => s.area === 'paris-15'],
      ['team=voirie-11,eclairage', (s) => s.team === 'voirie-11' || s.team === 'eclairage'],
    ];
    for (const [query, keep] of cases) {
      const response = await stack.app.inject({
        url: `/api/analytics/summary?${PERIOD}&${query}`,
        headers: stack.as('council'),
      });
      expect(response.statusCode, query).toBe(200);
      expectFigures(response.json().total, inPeriod.filter(keep));
    }
  });

  it('gives a supervisor the teams of their service only, whatever the team filter asks', async () => {
    const voirie = (s: Spec) => s.team !== null && s.team.startsWith('voirie-');
    const mine = await stack.app.inject({ url: `/api/analytics/summary?${PERIOD}`, headers: stack.as('supervisor') });
    expectFigures(mine.json().total, inPeriod.filter(voirie));
    const other = await stack.app.inject({
      url: `/api/analytics/summary?${PERIOD}&team=eclairage`,
      headers: stack.as('supervisor'),
    });
    expect(other.json().total.received).toBe(0);
  });

  it('keeps acknowledged_at and reopen_count up to date through real transitions', async () => {
    const report = await fileReport(stack.deps, { point: { lon: 2.38, lat: 48.86 } });
    const move = (to: string) =>
      stack.app.inject({
        method: 'POST',
        url: `/api/staff/reports/${report.id}/transitions`,
        headers: stack.as('admin'),
        payload: { to },
      });
    const read = async () =>
      (
        await stack.pool.query<{ acknowledged_at: Date | null; reopen_count: number; closed_at: Date | null }>(
          'SELECT acknowledged_at, reopen_count, closed_at FROM reports WHERE id = $1',
          [report.id],
        )
      ).rows[0]!;
    expect((await read()).acknowledged_at).toBeNull();
    expect((await move('acknowledged')).statusCode).toBe(200);
    const acknowledged = (await read()).acknowledged_at;
    expect(acknowledged).toBeInstanceOf(Date);
    expect((await move('resolved')).statusCode).toBe(200);
    expect((await move('reopened')).statusCode).toBe(200);
    expect((await move('resolved')).statusCode).toBe(200);
    const after = await read();
    expect(after.reopen_count).toBe(1);
    // The first answer stays the acknowledgement time.
    expect(after.acknowledged_at).toEqual(acknowledged);
    expect(after.closed_at).toBeInstanceOf(Date);
    await stack.pool.query('DELETE FROM reports WHERE id = $1', [report.id]);
  });
});

describe('GET /api/analytics/trends', () => {
  it('counts reports per ISO week and group, and the backlog at the end of each week, as computed here', async () => {
    const response = await stack.app.inject({ url: `/api/analytics/trends?${PERIOD}`, headers: stack.as('council') });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const start = parisMidnight(FROM);
    const end = parisMidnight(addDays(TO, 1));
    const weeks: string[] = [];
    for (let w = monday(FROM); w <= monday(TO); w = addDays(w, 7)) weeks.push(w);
    expect(body.weeks.map((w: { week: string }) => w.week)).toEqual(weeks);
    for (const week of body.weeks) {
      const inWeek = inPeriod.filter((s) => monday(parisDay(s.createdAt)) === week.week);
      const byGroup: Record<string, number> = {};
      for (const s of inWeek) byGroup[s.group] = (byGroup[s.group] ?? 0) + 1;
      expect(week.byGroup).toEqual(byGroup);
      expect(week.received).toBe(inWeek.length);
      const weekEnd = Math.min(parisMidnight(addDays(week.week, 7)), end);
      const open = all.filter((s) => s.createdAt < weekEnd && (s.closedAt === null || s.closedAt >= weekEnd));
      expect({ week: week.week, backlog: week.backlog }).toEqual({ week: week.week, backlog: open.length });
      expect(week.partial).toBe(week.week < FROM || addDays(week.week, 6) > TO);
    }
    expect(start).toBeLessThan(end);
  });
  it('follows a reopened report through its history: the weeks it spent closed are not in the backlog', async () => {
    // In an area and a period no other test of this file looks at, so the backlog is this report's alone.
    const from = addDays(FROM, -700);
    const to = addDays(from, 140);
    const at = (days: number) => parisMidnight(addDays(from, days)) + 10 * HOUR;
    const [created, resolved, reopened, resolvedAgain] = [at(1), at(20), at(60), at(100)];
    const { rows } = await stack.pool.query<{ id: string }>(
      `INSERT INTO reports (category_id, geom, area_id, status, created_at, updated_at, acknowledged_at, closed_at,
                            reopen_count, description)
       VALUES ((SELECT id FROM categories WHERE code = 'nid-de-poule'), ST_SetSRID(ST_MakePoint(2.398, 48.864), 4326),
               (SELECT id FROM service_areas WHERE code = 'paris-20'), 'resolved', $1, $2, $1, $2, 1, 'Rouvert une fois')
       RETURNING id`,
      [new Date(created), new Date(resolvedAgain)],
    );
    const id = rows[0]!.id;
    for (const [when, from, to] of [
      [created, 'new', 'acknowledged'],
      [resolved, 'acknowledged', 'resolved'],
      [reopened, 'resolved', 'reopened'],
      [resolvedAgain, 'reopened', 'resolved'],
    ] as const) {
      await stack.pool.query(
        `INSERT INTO report_history (report_id, at, actor, event, from_status, to_status) VALUES ($1, $2, 'test', 'status', $3, $4)`,
        [id, new Date(when), from, to],
      );
    }
    const response = await stack.app.inject({
      url: `/api/analytics/trends?from=${from}&to=${to}&area=paris-20`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    const end = parisMidnight(addDays(to, 1));
    const events: [number, number][] = [
      [created, 1],
      [resolved, -1],
      [reopened, 1],
      [resolvedAgain, -1],
    ];
    let closedWeeks = 0;
    for (const week of response.json().weeks as { week: string; backlog: number }[]) {
      const weekEnd = Math.min(parisMidnight(addDays(week.week, 7)), end);
      const open = events.filter(([t]) => t < weekEnd).reduce((sum, [, d]) => sum + d, 0);
      expect({ week: week.week, backlog: week.backlog }).toEqual({ week: week.week, backlog: open });
      if (weekEnd > resolved && weekEnd <= reopened) closedWeeks += 1;
    }
    // Counted from creation to its last closing, it would have shown in these weeks too.
    expect(closedWeeks).toBeGreaterThan(4);
  });
});

/** Web Mercator, written out here rather than taken from the code under test. */
function mercator(lon: number, lat: number): [number, number] {
  return [(lon * Math.PI * 6378137) / 180, Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 6378137];
}

describe('GET /api/analytics/heatmap', () => {
  it('square cells: each report in the cell of its own Mercator position, cells sized by the zoom', async () => {
    const response = await stack.app.inject({
      url: `/api/analytics/heatmap?${PERIOD}&zoom=14`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const size = (2 * MERCATOR_HALF) / 2 ** 14 / 8;
    expect(body.cellSize).toBeCloseTo(size, 6);
    const expected = new Map<string, number>();
    for (const s of inPeriod) {
      const [x, y] = mercator(s.lon, s.lat);
      const key = `${Math.floor((x + MERCATOR_HALF) / size)}:${Math.floor((y + MERCATOR_HALF) / size)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const got = new Map(
      body.features.map((f: { id: string; properties: { count: number } }) => [f.id, f.properties.count]),
    );
    expect(got).toEqual(expected);
    expect(body.total).toBe(inPeriod.length);
    expect(body.max).toBe(Math.max(...expected.values()));
    // The polygon is the cell: its south-west corner is the key times the size.
    const cell = body.features[0];
    const [i, j] = cell.id.split(':').map(Number);
    const [x0, y0] = mercator(cell.geometry.coordinates[0][0][0], cell.geometry.coordinates[0][0][1]);
    expect(Math.abs(x0 - (i * size - MERCATOR_HALF))).toBeLessThan(0.2);
    expect(Math.abs(y0 - (j * size - MERCATOR_HALF))).toBeLessThan(0.2);
    const zoomedOut = await stack.app.inject({
      url: `/api/analytics/heatmap?${PERIOD}&zoom=12`,
      headers: stack.as('council'),
    });
    expect(zoomedOut.json().features.length).toBeLessThan(body.features.length);
  });

  it('hexagon cells: each report in the hexagon whose centre is nearest', async () => {
    const response = await stack.app.inject({
      url: `/api/analytics/heatmap?${PERIOD}&zoom=14&shape=hexagon&group=voirie`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const size: number = body.cellSize;
    const centre = (q: number, r: number) => [size * Math.sqrt(3) * (q + r / 2), size * 1.5 * r];
    const expected = new Map<string, number>();
    for (const s of inPeriod.filter((x) => x.group === 'voirie')) {
      const [x, y] = mercator(s.lon, s.lat);
      // Brute force over the hexagons around the point: nearest centre wins.
      const r0 = Math.round(y / (1.5 * size));
      let best = { key: '', d: Infinity };
      for (let r = r0 - 2; r <= r0 + 2; r += 1) {
        const q0 = Math.round(x / (size * Math.sqrt(3)) - r / 2);
        for (let q = q0 - 2; q <= q0 + 2; q += 1) {
          const [cx, cy] = centre(q, r);
          const d = Math.hypot(x - cx!, y - cy!);
          if (d < best.d) best = { key: `${q}:${r}`, d };
        }
      }
      expect(best.d).toBeLessThanOrEqual(size);
      expected.set(best.key, (expected.get(best.key) ?? 0) + 1);
    }
    const got = new Map(
      body.features.map((f: { id: string; properties: { count: number } }) => [f.id, f.properties.count]),
    );
    expect(got).toEqual(expected);
    for (const f of body.features) expect(f.geometry.coordinates[0]).toHaveLength(7);
  });

  it('point cells for a smooth heat layer, per-month counts for a time slider, and a bbox', async () => {
    const points = await stack.app.inject({
      url: `/api/analytics/heatmap?${PERIOD}&shape=point&by=month`,
      headers: stack.as('council'),
    });
    const body = points.json();
    expect(body.features.every((f: { geometry: { type: string } }) => f.geometry.type === 'Point')).toBe(true);
    const perMonth: Record<string, number> = {};
    for (const s of inPeriod) {
      const month = parisDay(s.createdAt).slice(0, 7);
      perMonth[month] = (perMonth[month] ?? 0) + 1;
    }
    const summed: Record<string, number> = {};
    for (const f of body.features) {
      const months: Record<string, number> = f.properties.months;
      expect(Object.values(months).reduce((a, b) => a + b, 0)).toBe(f.properties.count);
      for (const [m, n] of Object.entries(months)) summed[m] = (summed[m] ?? 0) + n;
    }
    expect(summed).toEqual(perMonth);

    const bbox = [2.36, 48.85, 2.4, 48.87];
    const boxed = await stack.app.inject({
      url: `/api/analytics/heatmap?${PERIOD}&bbox=${bbox.join(',')}`,
      headers: stack.as('council'),
    });
    const inside = inPeriod.filter(
      (s) => s.lon >= bbox[0]! && s.lon <= bbox[2]! && s.lat >= bbox[1]! && s.lat <= bbox[3]!,
    );
    expect(boxed.json().total).toBe(inside.length);
    expect(inside.length).toBeGreaterThan(0);
  });
});

describe('GET /api/analytics/heatmap/{z}/{x}/{y}.mvt', () => {
  /** The tiles holding the reports at zoom z: together they draw every cell that has a report. */
  function tilesOf(specs: Spec[], z: number): string[] {
    const side = (2 * MERCATOR_HALF) / 2 ** z;
    const tiles = new Set<string>();
    for (const s of specs) {
      const [x, y] = mercator(s.lon, s.lat);
      tiles.add(`${Math.floor((x + MERCATOR_HALF) / side)}/${Math.floor((MERCATOR_HALF - y) / side)}`);
    }
    return [...tiles];
  }

  /** Cell key → count over the tiles; a cell drawn on several tiles must carry the same count on each. */
  async function cellsFromTiles(z: number, query: string): Promise<Map<string, number>> {
    const cells = new Map<string, number>();
    for (const xy of tilesOf(inPeriod, z)) {
      const response = await stack.app.inject({
        url: `/api/analytics/heatmap/${z}/${xy}.mvt?${query}`,
        headers: stack.as('council'),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.cells;
      for (let k = 0; k < (layer?.length ?? 0); k += 1) {
        const { i, j, count, open } = layer!.feature(k).properties as Record<string, number>;
        expect(open).toBeLessThanOrEqual(count!);
        const key = `${i}:${j}`;
        if (cells.has(key)) expect({ key, count }).toEqual({ key, count: cells.get(key) });
        cells.set(key, count!);
      }
    }
    return cells;
  }

  async function cellsFromGeoJson(query: string): Promise<Map<string, number>> {
    const response = await stack.app.inject({ url: `/api/analytics/heatmap?${query}`, headers: stack.as('council') });
    return new Map(
      response.json().features.map((f: { id: string; properties: { count: number } }) => [f.id, f.properties.count]),
    );
  }

  it('square cells: the cells and counts of the GeoJSON heat-map at that zoom, whole across tile edges', async () => {
    const fromTiles = await cellsFromTiles(14, PERIOD);
    expect(fromTiles.size).toBeGreaterThan(10);
    expect(fromTiles).toEqual(await cellsFromGeoJson(`${PERIOD}&zoom=14`));
  });

  it('hexagon cells with a filter, and each square cell as a point', async () => {
    const hexagons = await cellsFromTiles(13, `${PERIOD}&shape=hexagon&group=voirie`);
    expect(hexagons).toEqual(await cellsFromGeoJson(`${PERIOD}&zoom=13&shape=hexagon&group=voirie`));
    const points = await cellsFromTiles(14, `${PERIOD}&shape=point`);
    expect(points).toEqual(await cellsFromGeoJson(`${PERIOD}&zoom=14`));
  });

  it('draws cell outlines: a square cell is a polygon of four corners', async () => {
    const [xy] = tilesOf(inPeriod, 14);
    const response = await stack.app.inject({
      url: `/api/analytics/heatmap/14/${xy}.mvt?${PERIOD}`,
      headers: stack.as('council'),
    });
    const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.cells!;
    const feature = layer.feature(0);
    expect(feature.type).toBe(3); // Polygon
    const ring = feature.loadGeometry()[0]!;
    expect(ring.length).toBe(5); // four corners, closed
    // 8 cells per tile side: a whole cell spans 4096 / 8 units, unless the tile's buffer clips it.
    const width = Math.max(...ring.map((p) => p.x)) - Math.min(...ring.map((p) => p.x));
    expect(width).toBeLessThanOrEqual(512);
    expect(width).toBeGreaterThan(0);
  });

  it('an empty tile for a place without reports', async () => {
    const response = await stack.app.inject({
      url: `/api/analytics/heatmap/14/0/0.mvt?${PERIOD}`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBe(0);
  });
});

describe('bad input: a 400 with a code, never a 500', () => {
  const cases: [string, string][] = [
    ['/api/analytics/summary?from=2025-02-30', 'PERIOD_INVALID'],
    ['/api/analytics/summary?from=yesterday', 'PERIOD_INVALID'],
    ['/api/analytics/summary?from=2025-06-01&to=2025-05-01', 'PERIOD_INVALID'],
    ['/api/analytics/summary?from=2019-01-01&to=2025-01-01', 'PERIOD_INVALID'],
    ['/api/analytics/summary?group=nope', 'FILTER_INVALID'],
    ['/api/analytics/summary?category=nid-de-poule,unknown', 'FILTER_INVALID'],
    ['/api/analytics/summary?status=lost', 'FILTER_INVALID'],
    ['/api/analytics/summary?area=paris-99', 'FILTER_INVALID'],
    ['/api/analytics/summary?team=%27%3B%20DROP%20TABLE%20reports', 'FILTER_INVALID'],
    ['/api/analytics/summary?by=mood', 'VALIDATION_FAILED'],
    ['/api/analytics/heatmap?zoom=3', 'VALIDATION_FAILED'],
    ['/api/analytics/heatmap?zoom=abc', 'VALIDATION_FAILED'],
    ['/api/analytics/heatmap?shape=triangle', 'VALIDATION_FAILED'],
    ['/api/analytics/heatmap?bbox=1,2,3', 'BBOX_INVALID'],
    ['/api/analytics/heatmap/5/16/11.mvt', 'TILE_INVALID'],
    ['/api/analytics/heatmap/19/1/1.mvt', 'TILE_INVALID'],
    ['/api/analytics/heatmap/14/99999/1.mvt', 'TILE_INVALID'],
    ['/api/analytics/heatmap/14/-1/1.mvt', 'TILE_INVALID'],
    ['/api/analytics/heatmap/14/a/1.mvt', 'TILE_INVALID'],
    ['/api/analytics/heatmap/14/8300/5636.mvt?shape=triangle', 'VALIDATION_FAILED'],
    ['/api/analytics/heatmap/14/8300/5636.mvt?group=nope', 'FILTER_INVALID'],
    ['/api/analytics/clusters?radius=500', 'VALIDATION_FAILED'],
    ['/api/analytics/trends?to=2025-13-01', 'PERIOD_INVALID'],
    ['/api/analytics/trends?from=0000-01-01&to=0000-12-31', 'PERIOD_INVALID'],
    ['/api/exports/reports.csv?group=nope', 'FILTER_INVALID'],
    ['/api/exports/reports.geojson?from=2025-02-30', 'PERIOD_INVALID'],
  ];
  for (const [url, code] of cases) {
    it(`${url} → ${code}`, async () => {
      const response = await stack.app.inject({ url, headers: stack.as('council') });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code, message: expect.any(String) });
    });
  }
});

describe('GET /api/analytics/clusters: the same problem, never chained', () => {
  // A spot in the 20th, far from the generated data, and reports placed in metres around it.
  const ORIGIN = { lon: 2.4, lat: 48.865 };
  const at = (east: number, north: number) => ({
    lon: ORIGIN.lon + east / (111_320 * Math.cos((ORIGIN.lat * Math.PI) / 180)),
    lat: ORIGIN.lat + north / 110_574,
  });
  const spec = (category: string, p: { lon: number; lat: number }, status = 'new', ageDays = 3): Spec => ({
    category,
    group: 'x',
    area: 'paris-20',
    team: null,
    status,
    ...p,
    createdAt: NOW - ageDays * DAY,
    ackAt: status === 'new' ? null : NOW - 2 * DAY,
    closedAt: OPEN.includes(status) ? null : NOW - DAY,
    deadlineAt: null,
    reopenCount: 0,
  });

  beforeAll(async () => {
    const rnd = random(42);
    const specs: Spec[] = [];
    // "40 reports are really 3 problems": three tight groups (radius 12 m) of potholes, 400 m apart.
    for (const [n, east] of [
      [15, 0],
      [15, 400],
      [10, 800],
    ] as const) {
      for (let k = 0; k < n; k += 1)
        specs.push(spec('regard-descelle', at(east + (rnd() - 0.5) * 17, (rnd() - 0.5) * 17)));
    }
    // A closed report in the middle of the first group is not a problem to cluster.
    specs.push(spec('regard-descelle', at(0, 0), 'resolved'));
    // A chain of abandoned bikes every 30 m over 330 m: DBSCAN (eps 50 m) would make it one cluster.
    for (let k = 0; k < 12; k += 1) specs.push(spec('velo-abandonne', at(k * 30, 300)));
    // A dense scatter of graffiti over 300 m × 300 m.
    for (let k = 0; k < 150; k += 1) specs.push(spec('tag-mobilier', at(rnd() * 300, -400 - rnd() * 300)));
    await insertSpecs(specs);
  });

  async function clusters(query: string) {
    const response = await stack.app.inject({
      url: `/api/analytics/clusters?${PERIOD}&area=paris-20&${query}`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  /** Every pair of members within the bound, measured by PostGIS on the sphere. */
  async function expectWithinBound(cluster: { members: { ref: string }[] }, bound: number) {
    const { rows } = await stack.pool.query<{ d: number }>(
      `SELECT max(ST_DistanceSphere(a.geom, b.geom)) AS d
         FROM reports a JOIN reports b ON a.ref < b.ref WHERE a.ref = ANY($1) AND b.ref = ANY($1)`,
      [cluster.members.map((m) => m.ref)],
    );
    expect(rows[0]!.d ?? 0).toBeLessThanOrEqual(bound + 1e-6);
  }

  it('finds the 3 problems behind 40 reports', async () => {
    const body = await clusters('category=regard-descelle');
    expect(body.reports).toBe(40);
    expect(body.problems).toBe(3);
    expect(body.clusters.map((c: { count: number }) => c.count)).toEqual([15, 15, 10]);
    for (const c of body.clusters) await expectWithinBound(c, 100);
  });

  it('splits a chain: no two members of a cluster farther apart than twice the radius', async () => {
    const body = await clusters('category=velo-abandonne&radius=50');
    expect(body.maxDiameterM).toBe(100);
    expect(body.reports).toBe(12);
    expect(Math.max(...body.clusters.map((c: { count: number }) => c.count))).toBeLessThanOrEqual(4);
    for (const c of body.clusters) {
      await expectWithinBound(c, 100);
      expect(c.diameterM).toBeLessThanOrEqual(100);
    }
  });

  it('keeps the bound in a dense scatter, each report in one group only, for several radii', async () => {
    for (const radius of [20, 50, 120, 200]) {
      const body = await clusters(`category=tag-mobilier&radius=${radius}&minSize=2&limit=1000`);
      expect(body.reports).toBe(150);
      const refs = body.clusters.flatMap((c: { members: { ref: string }[] }) => c.members.map((m) => m.ref));
      expect(new Set(refs).size).toBe(refs.length);
      // Problems = clusters + the reports standing alone.
      expect(body.problems).toBe(body.clusterCount + (150 - refs.length));
      for (const c of body.clusters) {
        await expectWithinBound(c, 2 * radius);
        for (const m of c.members) expect(m.distanceM).toBeLessThanOrEqual(radius);
      }
    }
  });

  it('names where each cluster is: the nearest street within 100 m, else the area alone', async () => {
    // A street with one numbered address 20 m from the first group, none near the third (800 m east).
    const near = at(20, 0);
    const { rows: streets } = await stack.pool.query<{ id: number }>(
      `INSERT INTO address_streets (departement, insee, postcode, city, name, search, place, words, centre)
       VALUES ('75', '75120', '75020', 'Paris', 'Rue des Grappes Test', 'rue des grappes test', 'paris',
               to_tsvector('simple', 'rue des grappes test'), ST_SetSRID(ST_MakePoint($1, $2), 4326))
       RETURNING id`,
      [near.lon, near.lat],
    );
    await stack.pool.query(
      `INSERT INTO addresses (id, street_id, number, label, geom)
       VALUES ('75120_test_00007', $1, 7, '7 Rue des Grappes Test 75020 Paris', ST_SetSRID(ST_MakePoint($2, $3), 4326))`,
      [streets[0]!.id, near.lon, near.lat],
    );
    const { rows: areas } = await stack.pool.query<{ name: string }>(
      `SELECT name FROM service_areas WHERE code = 'paris-20'`,
    );
    const body = await clusters('category=regard-descelle');
    const byEast = [...body.clusters].sort(
      (a: { centre: { coordinates: number[] } }, b: { centre: { coordinates: number[] } }) =>
        a.centre.coordinates[0]! - b.centre.coordinates[0]!,
    );
    expect(byEast[0].place).toEqual({ street: 'Rue des Grappes Test', area: areas[0]!.name });
    expect(byEast[2].place).toEqual({ street: null, area: areas[0]!.name });
    // The house number never shows: a cluster is a place, not a doorway.
    expect(JSON.stringify(body)).not.toContain('7 Rue des Grappes');
  });

  it('never mixes sub-types at the same place', async () => {
    const body = await clusters('group=voirie,objets-abandonnes&radius=200&limit=1000');
    for (const c of body.clusters) {
      const { rows } = await stack.pool.query<{ n: number }>(
        'SELECT count(DISTINCT category_id)::int AS n FROM reports WHERE ref = ANY($1)',
        [c.members.map((m: { ref: string }) => m.ref)],
      );
      expect(rows[0]!.n).toBe(1);
    }
  });
});

describe('GET /api/analytics/evaluation: channels, costs and savings, against an independent count', () => {
  const UNIT = { web: 150, app: 120, counter: 1800, phone: 1200, open311: 100 } as const;
  type Channel = keyof typeof UNIT;

  async function evaluation() {
    const response = await stack.app.inject({
      url: `/api/analytics/evaluation?${PERIOD}`,
      headers: stack.as('council'),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  /** The reports of the period, read straight from the table and counted here. */
  async function truth() {
    const { rows } = await stack.pool.query<{ channel: Channel; created_at: Date; team: string | null }>(
      `SELECT r.channel, r.created_at, t.code AS team FROM reports r LEFT JOIN teams t ON t.id = r.team_id`,
    );
    const start = parisMidnight(FROM);
    const end = parisMidnight(addDays(TO, 1));
    return rows.filter((r) => r.created_at.getTime() >= start && r.created_at.getTime() < end);
  }

  beforeAll(async () => {
    // Every channel but e-mail, spread by a hash of the reference: no pattern the query could follow.
    await stack.pool.query(
      `UPDATE reports SET channel = (ARRAY['web', 'app', 'counter', 'phone', 'open311'])[1 + abs(hashtext(ref)) % 5]`,
    );
    const put = await stack.app.inject({
      method: 'PUT',
      url: '/api/admin/unit-costs',
      headers: stack.as('admin'),
      payload: { costs: Object.entries(UNIT).map(([channel, costCents]) => ({ channel, costCents })) },
    });
    expect(put.statusCode, put.body).toBe(200);
  });

  it('counts each channel per month, prices each channel and team, and the digital savings', async () => {
    const body = await evaluation();
    const reports = await truth();
    expect(reports.length).toBeGreaterThan(100);
    expect(body.total).toBe(reports.length);

    const parisMonth = (d: Date) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(d);
    const months = new Map<string, Record<string, number>>();
    for (const r of reports) {
      const m = months.get(parisMonth(r.created_at)) ?? {};
      m[r.channel] = (m[r.channel] ?? 0) + 1;
      months.set(parisMonth(r.created_at), m);
    }
    expect(body.months.map((m: { month: string }) => m.month)).toEqual([...months.keys()].sort());
    for (const m of body.months) {
      expect(m.byChannel).toEqual(months.get(m.month));
      expect(m.total).toBe(Object.values(m.byChannel as Record<string, number>).reduce((s, n) => s + n, 0));
    }

    const count = (c: string) => reports.filter((r) => r.channel === c).length;
    for (const c of body.channels) {
      expect(c.count).toBe(count(c.channel));
      if (c.channel === 'email') expect(c).toMatchObject({ count: 0, unitCostCents: null, costCents: null });
      else expect(c.costCents).toBe(count(c.channel) * UNIT[c.channel as Channel]);
    }

    const teams = new Map<string, { count: number; cost: number }>();
    for (const r of reports) {
      const t = teams.get(r.team ?? '') ?? { count: 0, cost: 0 };
      t.count += 1;
      t.cost += UNIT[r.channel];
      teams.set(r.team ?? '', t);
    }
    expect(body.teams).toHaveLength(teams.size);
    for (const team of body.teams) {
      const expected = teams.get(team.code ?? '')!;
      expect(team.count).toBe(expected.count);
      expect(team.costCents).toBe(expected.cost);
    }

    const digital = count('web') + count('app') + count('open311');
    const assisted =
      (count('counter') * UNIT.counter + count('phone') * UNIT.phone) / (count('counter') + count('phone'));
    const digitalUnit = (count('web') * UNIT.web + count('app') * UNIT.app + count('open311') * UNIT.open311) / digital;
    expect(body.digital.count).toBe(digital);
    expect(body.digital.share).toBeCloseTo(digital / reports.length, 4);
    expect(body.digital.savingsCents).toBe(Math.round(digital * (assisted - digitalUnit)));
    expect(body.digital.savingsCents).toBeGreaterThan(0);
  });

  it('says "not set" rather than zero when a used channel has no cost, and keeps the others', async () => {
    const put = await stack.app.inject({
      method: 'PUT',
      url: '/api/admin/unit-costs',
      headers: stack.as('admin'),
      // No cost given: cleared.
      payload: { costs: [{ channel: 'phone' }] },
    });
    expect(put.statusCode).toBe(200);
    const body = await evaluation();
    const phone = body.channels.find((c: { channel: string }) => c.channel === 'phone');
    expect(phone).toMatchObject({ unitCostCents: null, costCents: null });
    expect(body.channels.find((c: { channel: string }) => c.channel === 'web').unitCostCents).toBe(UNIT.web);
    expect(body.digital.savingsCents).toBeNull();
    expect(
      body.teams.every((t: { byChannel: Record<string, number>; costCents: number | null }) =>
        t.byChannel.phone ? t.costCents === null : t.costCents !== null,
      ),
    ).toBe(true);
  });

  it('is for analysts: a crew gets 403, a bad period 400', async () => {
    const crew = await stack.app.inject({ url: '/api/analytics/evaluation', headers: stack.as('crew') });
    expect(crew.statusCode).toBe(403);
    const bad = await stack.app.inject({
      url: '/api/analytics/evaluation?from=2026-02-30',
      headers: stack.as('council'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
  });
});
