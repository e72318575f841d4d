import { request } from 'node:http';
import { seedBenchReports } from '@pave/core/seed';
import { EXPORT_COLUMNS } from '@pave/shared';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({
  staff: { council: { role: 'council' }, crew: { role: 'crew', teamCode: 'voirie-11' } },
});
const COUNT = 10_000;
// Personal data put on every row: none of it may appear in an export.
const SECRETS = ['@', 'Jeanne', 'Dupont', '0612345678', 'device-secret', 'account-secret', 'numéro', '12 rue'];

function parisDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(ms));
}
const TO = parisDay(Date.now());
// The fixture spreads reports over the five years before now: this period holds every one of them.
const FROM = new Date(Date.parse(`${TO}T00:00:00Z`) - 1826 * 86_400_000).toISOString().slice(0, 10);
const PERIOD = `from=${FROM}&to=${TO}`;

beforeAll(async () => {
  await seedBenchReports(stack.pool, { count: COUNT, seed: 11 });
  await stack.pool.query(
    `UPDATE reports SET reporter_email = 'resident-' || left(id::text, 8) || '@example.org',
            reporter_first_name = 'Jeanne', reporter_last_name = 'Dupont', reporter_phone = '0612345678',
            reporter_device_id = 'device-secret', reporter_account_id = 'account-secret',
            address = '12 rue des Secrets', description = 'Mon numéro : 0612345678, jeanne.dupont@example.org'`,
  );
}, 120_000);

describe('GET /api/exports/reports.csv?format=codes', () => {
  it('exports all 10,000 reports, once each, with the documented columns and no personal data', async () => {
    const response = await stack.app.inject({
      url: `/api/exports/reports.csv?${PERIOD}&format=codes`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="signalements-${FROM}-${TO}-codes.csv"`);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const body = response.body;
    for (const secret of SECRETS) expect(body).not.toContain(secret);
    expect(body.startsWith(`\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(body.endsWith('\r\n')).toBe(true);

    const records = parse(body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(COUNT);
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    const { rows } = await stack.pool.query<{ ref: string }>('SELECT ref FROM reports');
    expect(new Set(records.map((r) => r.ref))).toEqual(new Set(rows.map((r) => r.ref)));

    // Oldest first, and one row checked field by field against the database.
    const created = records.map((r) => r.created_at!);
    expect(created).toEqual([...created].sort());
    const sample = records[1234]!;
    const { rows: truth } = await stack.pool.query(
      `SELECT r.status, c.code AS category, g.code AS "group", a.code AS area, t.code AS team, r.created_at, r.closed_at,
              r.acknowledged_at, r.deadline_at, r.reopen_count, r.support_count, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
         FROM reports r JOIN categories c ON c.id = r.category_id JOIN category_groups g ON g.id = c.group_id
         LEFT JOIN service_areas a ON a.id = r.area_id LEFT JOIN teams t ON t.id = r.team_id WHERE r.ref = $1`,
      [sample.ref],
    );
    const t = truth[0]!;
    const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
    expect(sample).toEqual({
      ref: sample.ref,
      category: t.category,
      group: t.group,
      status: t.status,
      created_at: iso(t.created_at),
      acknowledged_at: iso(t.acknowledged_at),
      resolved_at: t.status === 'resolved' ? iso(t.closed_at) : '',
      closed_at: iso(t.closed_at),
      deadline_at: iso(t.deadline_at),
      area: t.area ?? '',
      team: t.team ?? '',
      reopen_count: String(t.reopen_count),
      support_count: String(t.support_count),
      // Only a numbered address from the index gives a street; the typed '12 rue des Secrets' never shows.
      street: '',
      lon: String(Math.round(t.lon * 1e4) / 1e4),
      lat: String(Math.round(t.lat * 1e4) / 1e4),
    });
  });

  it('applies the same filters as the analytics', async () => {
    const response = await stack.app.inject({
      url: `/api/exports/reports.csv?${PERIOD}&category=nid-de-poule,encombrant&status=open&format=codes`,
      headers: stack.as('council'),
    });
    const records = parse(response.body, { bom: true, columns: true }) as Record<string, string>[];
    const { rows } = await stack.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports r JOIN categories c ON c.id = r.category_id
        WHERE c.code IN ('nid-de-poule', 'encombrant') AND r.status IN ('new', 'acknowledged', 'scheduled', 'in_progress', 'reopened')`,
    );
    expect(records.length).toBe(rows[0]!.n);
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.category))).toEqual(new Set(['nid-de-poule', 'encombrant']));
  });

  it('refuses a crew member and a bad filter before streaming anything', async () => {
    expect(
      (await stack.app.inject({ url: `/api/exports/reports.csv?${PERIOD}`, headers: stack.as('crew') })).statusCode,
    ).toBe(403);
    const bad = await stack.app.inject({ url: `/api/exports/reports.csv?area=nowhere`, headers: stack.as('council') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'FILTER_INVALID' });
    const badFormat = await stack.app.inject({
      url: `/api/exports/reports.csv?format=xlsx`,
      headers: stack.as('council'),
    });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('GET /api/exports/reports.csv (French, the default)', () => {
  it('is ";"-separated with a BOM, French headings and names, ISO 8601 times and decimal commas', async () => {
    const response = await stack.app.inject({
      url: `/api/exports/reports.csv?${PERIOD}`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="signalements-${FROM}-${TO}.csv"`);
    const body = response.body;
    expect(body.charCodeAt(0)).toBe(0xfeff);
    for (const secret of SECRETS) expect(body).not.toContain(secret);
    const firstLine = body.slice(1, body.indexOf('\r\n'));
    expect(firstLine.split(';')).toEqual([
      'Référence',
      'Catégorie',
      'Famille',
      'Statut',
      'Signalé le',
      'Pris en compte le',
      'Résolu le',
      'Clos le',
      'Échéance',
      'Secteur',
      'Équipe',
      'Réouvertures',
      'Soutiens',
      'Rue',
      'Longitude',
      'Latitude',
    ]);

    const records = parse(body, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(records).toHaveLength(COUNT);
    // A comma-separated reader would see one column: the French file must not depend on commas.
    expect(Object.keys(records[0]!)).toHaveLength(16);

    const { rows: truth } = await stack.pool.query(
      `SELECT r.ref, r.status, c.label_fr AS category, g.label_fr AS "group", a.name AS area, t.name AS team,
              r.created_at, r.acknowledged_at, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
         FROM reports r JOIN categories c ON c.id = r.category_id JOIN category_groups g ON g.id = c.group_id
         LEFT JOIN service_areas a ON a.id = r.area_id LEFT JOIN teams t ON t.id = r.team_id`,
    );
    const byRef = new Map(truth.map((t) => [t.ref as string, t]));
    const statusFr: Record<string, string> = {
      new: 'Reçu',
      acknowledged: 'Pris en compte',
      scheduled: 'Intervention programmée',
      in_progress: 'En cours',
      resolved: 'Résolu',
      rejected: 'Rejeté',
      duplicate: 'Doublon',
      transferred: 'Transmis',
      reopened: 'Rouvert',
    };
    const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
    let withArea = 0;
    let withTeam = 0;
    for (const record of [records[0]!, records[777]!, records[4321]!, records[COUNT - 1]!]) {
      const t = byRef.get(record['Référence']!)!;
      expect(record['Catégorie']).toBe(t.category);
      expect(record['Famille']).toBe(t.group);
      expect(record['Statut']).toBe(statusFr[t.status]);
      expect(record['Secteur']).toBe(t.area ?? '');
      expect(record['Équipe']).toBe(t.team ?? '');
      expect(record['Signalé le']).toBe(iso(t.created_at));
      expect(record['Signalé le']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(record['Pris en compte le']).toBe(iso(t.acknowledged_at));
      expect(record['Longitude']).toBe(String(Math.round(t.lon * 1e4) / 1e4).replace('.', ','));
      expect(record['Latitude']).toBe(String(Math.round(t.lat * 1e4) / 1e4).replace('.', ','));
      if (t.area) withArea += 1;
      if (t.team) withTeam += 1;
    }
    expect(withArea).toBeGreaterThan(0);
    expect(withTeam).toBeGreaterThan(0);
    // No machine code is left in the columns that now hold names.
    const codes = await stack.pool.query<{ code: string }>(
      `SELECT code FROM categories UNION SELECT code FROM service_areas UNION SELECT code FROM teams`,
    );
    const codeSet = new Set(codes.rows.map((r) => r.code));
    for (const record of records.slice(0, 500)) {
      for (const column of ['Catégorie', 'Secteur', 'Équipe']) expect(codeSet.has(record[column]!)).toBe(false);
      expect(Object.values(statusFr)).toContain(record['Statut']);
    }
  });
});

describe('GET /api/exports/reports.geojson', () => {
  it('exports all 10,000 reports as valid GeoJSON points without personal data', async () => {
    const response = await stack.app.inject({
      url: `/api/exports/reports.geojson?${PERIOD}`,
      headers: stack.as('council'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    for (const secret of SECRETS) expect(response.body).not.toContain(secret);
    const body = JSON.parse(response.body);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(COUNT);
    const feature = body.features[0];
    expect(feature.geometry.type).toBe('Point');
    expect(feature.geometry.coordinates).toHaveLength(2);
    expect(Object.keys(feature.properties)).toEqual(EXPORT_COLUMNS.filter((c) => c !== 'lon' && c !== 'lat'));
    expect(new Set(body.features.map((f: { properties: { ref: string } }) => f.properties.ref)).size).toBe(COUNT);
  });

  it('an empty selection is an empty, valid collection', async () => {
    const response = await stack.app.inject({
      url: `/api/exports/reports.geojson?from=${TO}&to=${TO}&status=reopened`,
      headers: stack.as('council'),
    });
    expect(JSON.parse(response.body)).toEqual({ type: 'FeatureCollection', features: [] });
  });
});

describe('a download abandoned half-way', () => {
  it('rolls the cursor back and returns its connection to the pool', async () => {
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    const address = stack.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const firstChunk = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/api/exports/reports.csv?${PERIOD}`, headers: stack.as('council') },
        (res) => {
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve(chunk.length);
          });
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    expect(firstChunk).toBeGreaterThan(0);
    const pool = stack.app.deps.db;
    await waitFor(async () => pool.totalCount > 0 && pool.idleCount === pool.totalCount, {
      what: 'the export connection back in the pool',
    });
    const { rows } = await stack.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'pave-api' AND state LIKE 'idle in transaction%'`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
