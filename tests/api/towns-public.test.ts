import { createLogger, insertOutboxJob } from '@pave/core';
import { seedDemoTowns } from '@pave/core/seed';
import type { ParsedMail } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// Towns on the public side (issue #19): each report names its town, a town has its page and may have
// its own host, and an area alert may span towns.
const BASE = 'https://pave.example';
const stack = useStack({
  worker: { logger: createLogger({ level: 'silent', name: 'test' }) },
  smtp: true,
  queue: true,
  env: { TOKEN_SECRET: 'towns-public-secret-0123456789', PUBLIC_BASE_URL: BASE },
});
const MONTREUIL = { lon: 2.4485, lat: 48.8638 };

beforeAll(async () => {
  await seedDemoTowns(stack.pool);
});

const publicReport = async (id: string) => (await stack.app.inject({ url: `/api/reports/${id}` })).json();

describe('the town on public payloads', () => {
  it('names the town of each report, and says when a body rather than the town handles it', async () => {
    const paris = await fileReport(stack.deps, { category: 'nid-de-poule' });
    expect((await publicReport(paris.id)).town).toEqual({ code: '75056', name: 'Paris' });

    const lamp = await fileReport(stack.deps, { category: 'lampadaire-eteint', point: MONTREUIL });
    const before = await publicReport(lamp.id);
    expect(before.town).toEqual({ code: '93048', name: 'Montreuil' });
    expect(before.handledBy).toBeNull();
    // As two-tier routing decides (the routing's own tests cover the decision): the metropolitan body.
    await stack.pool.query(
      "UPDATE reports SET team_id = (SELECT id FROM teams WHERE code = 'mgp-eclairage') WHERE id = $1",
      [lamp.id],
    );
    const routed = await publicReport(lamp.id);
    expect(routed.handledBy).toEqual({ name: 'Métropole du Grand Paris — Éclairage public', isBody: true });
    expect(routed.team).toBe('Métropole du Grand Paris — Éclairage public');
    await stack.pool.query(
      "UPDATE reports SET team_id = (SELECT id FROM teams WHERE code = '93048-voirie') WHERE id = $1",
      [lamp.id],
    );
    expect((await publicReport(lamp.id)).handledBy).toEqual({ name: 'Voirie — Montreuil', isBody: false });
  });

  it("carries the town code on the map's GeoJSON and follows a pin moved across the boundary", async () => {
    const report = await fileReport(stack.deps, { category: 'encombrant', point: MONTREUIL });
    const bbox = [MONTREUIL.lon - 0.001, MONTREUIL.lat - 0.001, MONTREUIL.lon + 0.001, MONTREUIL.lat + 0.001];
    const geojson = await stack.app.inject({ url: `/api/map/reports?bbox=${bbox.join(',')}` });
    expect(geojson.statusCode).toBe(200);
    const feature = geojson.json().features.find((f: { id: string }) => f.id === report.id);
    expect(feature.properties.town).toBe('93048');
    await stack.pool.query('UPDATE reports SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1', [
      report.id,
      POINT_PARIS_11.lon,
      POINT_PARIS_11.lat,
    ]);
    const { rows } = await stack.pool.query('SELECT town_code FROM map_reports WHERE id = $1', [report.id]);
    expect(rows[0].town_code).toBe('75056');
  });
});

describe("a town's page", () => {
  it('gives its branding, figures and latest public reports; 404 for an unknown or unserved town', async () => {
    const filed = await fileReport(stack.deps, { category: 'tag-facade', point: { lon: 2.4402, lat: 48.8475 } });
    const answer = await stack.app.inject({ url: '/api/towns/94080' });
    expect(answer.statusCode).toBe(200);
    const page = answer.json();
    expect(page).toMatchObject({ code: '94080', name: 'Vincennes', brandColour: '#005a9c', logoUrl: null });
    const { rows } = await stack.pool.query("SELECT count(*)::int AS total FROM reports WHERE town_code = '94080'");
    expect(page.figures.total).toBe(rows[0].total);
    expect(page.figures.open).toBe(rows[0].total);
    expect(page.reports.map((r: { id: string }) => r.id)).toContain(filed.id);
    expect(page.reports.find((r: { id: string }) => r.id === filed.id).category.label.fr).toBe('Tag sur un mur');
    // Never a reporter's e-mail or a description on the list.
    expect(JSON.stringify(page)).not.toMatch(/@|description/);

    expect((await stack.app.inject({ url: '/api/towns/99999' })).statusCode).toBe(404);
    const unserved = await stack.app.inject({ url: '/api/towns/94028' });
    expect(unserved.statusCode).toBe(404);
    expect(unserved.json().code).toBe('TOWN_NOT_FOUND');
    expect((await stack.app.inject({ url: '/api/towns/paris' })).statusCode).toBe(400);
  });

  it("opens the town's page on the town's own host name", async () => {
    await stack.pool.query("UPDATE towns SET host = 'signaler.montreuil.example' WHERE code = '93048'");
    const own = await stack.app.inject({ url: '/', headers: { host: 'signaler.montreuil.example' } });
    expect(own.statusCode).toBe(302);
    expect(own.headers.location).toBe('/villes/93048');
    const main = await stack.app.inject({ url: '/', headers: { host: 'pave.example' } });
    expect(main.statusCode).not.toBe(302);
  });
});

describe("a town's mail identity", () => {
  it("sends the acknowledgement of a Montreuil report as Montreuil, signed by it; Paris's as the deployment", async () => {
    const before = stack.smtp.mails.length;
    const montreuil = await fileReport(stack.deps, {
      category: 'encombrant',
      point: MONTREUIL,
      email: 'voisine@example.org',
    });
    await fileReport(stack.deps, { category: 'encombrant', email: 'parisien@example.org' });
    const mails = (await stack.smtp.waitForMails(before + 2)).slice(before);
    const toOf = (mail: ParsedMail) => (mail.to as { text: string }).text;
    const fromOf = (mail: ParsedMail) => (mail.from as { value: { name: string; address: string }[] }).value[0];
    const ofMontreuil = mails.find((m) => toOf(m) === 'voisine@example.org')!;
    expect(fromOf(ofMontreuil)).toEqual({
      name: 'Ville de Montreuil — Signalements',
      address: 'signalements@montreuil.demo.pave',
    });
    expect(ofMontreuil.text).toContain(montreuil.ref);
    expect(ofMontreuil.text).toMatch(/\n-- \nLes services techniques de la Ville de Montreuil\s*$/);
    const ofParis = mails.find((m) => toOf(m) === 'parisien@example.org')!;
    expect(fromOf(ofParis)!.address).not.toBe('signalements@montreuil.demo.pave');
    expect(ofParis.text).not.toContain('Montreuil');
  });
});

describe('area alerts across towns', () => {
  it('tells a subscriber of a circle on the Paris–Montreuil boundary about reports on both sides', async () => {
    // A point of the line Paris and Montreuil share, and points 120 m either side of it.
    const { rows } = await stack.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_PointOnSurface(ST_Intersection(a.geom, b.geom)) AS p
           FROM towns a, towns b WHERE a.code = '75056' AND b.code = '93048') x`,
    );
    const edge = rows[0]!;
    const west = { lon: edge.lon - 0.0017, lat: edge.lat };
    const east = { lon: edge.lon + 0.0017, lat: edge.lat };
    const towns = await stack.pool.query<{ w: string; e: string }>(
      'SELECT town_at(ST_SetSRID(ST_MakePoint($1, $2), 4326)) AS w, town_at(ST_SetSRID(ST_MakePoint($3, $4), 4326)) AS e',
      [west.lon, west.lat, east.lon, east.lat],
    );
    expect(towns.rows[0]).toEqual({ w: '75056', e: '93048' });

    const mailsBefore = stack.smtp.mails.length;
    const subscribed = await stack.app.inject({
      method: 'POST',
      url: '/api/alerts',
      payload: {
        email: 'frontiere@example.org',
        area: { center: [edge.lon, edge.lat], radiusM: 400, label: 'Porte de Montreuil' },
        frequency: 'daily',
      },
    });
    expect(subscribed.statusCode).toBe(202);
    const to = (mail: ParsedMail) => (mail.to as { text: string }).text;
    const [confirmation] = (await stack.smtp.waitForMails(mailsBefore + 1)).slice(mailsBefore);
    expect(to(confirmation!)).toBe('frontiere@example.org');
    const token = new RegExp(`${BASE}/alertes/confirmer\\?t=([0-9]+\\.[A-Za-z0-9_-]{43})`).exec(
      confirmation!.text ?? '',
    )![1];
    expect((await stack.app.inject({ method: 'POST', url: `/api/alerts/confirm/${token}` })).json().state).toBe(
      'active',
    );

    const inParis = await fileReport(stack.deps, { category: 'encombrant', point: west });
    const inMontreuil = await fileReport(stack.deps, { category: 'encombrant', point: east });
    const before = stack.smtp.mails.length;
    await insertOutboxJob(stack.pool, 'alerts.digest', { frequency: 'daily', until: new Date().toISOString() });
    const digest = (await stack.smtp.waitForMails(before + 1))
      .slice(before)
      .find((m) => to(m) === 'frontiere@example.org');
    expect(digest?.text).toContain(`${BASE}/r/${inParis.ref}`);
    expect(digest?.text).toContain(`${BASE}/r/${inMontreuil.ref}`);
  });
});
