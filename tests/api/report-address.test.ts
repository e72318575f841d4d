import { backfillReportAddresses, createReport, importBanFile } from '@pave/core';
import { DEMO_ADDRESS_FILE } from '@pave/core/seed';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import { fileReport } from '../support/factories';
import { multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// No PUBLIC_BASE_URL and not listening: the API and the worker derive their links from PORT.
const stack = useStack({
  smtp: true,
  env: { PORT: '3999' },
  worker: true,
  staff: { admin: { role: 'admin' }, council: { role: 'council' }, agent: { role: 'agent' } },
});

/** 90 Rue de la Victoire 75009 Paris, on its BAN point. */
const VICTOIRE = { lon: 2.331058, lat: 48.875065 };
const VICTOIRE_LABEL = '90 Rue de la Victoire 75009 Paris';
const VICTOIRE_ID = '75109_ae3c_00090';
/** 95 m from the nearest address: the index gives its street. */
const STREET_ONLY = POINT_PARIS_11;
/** In the Bois de Boulogne, inside Paris 16e but over 200 m from any demo address: only the area. */
const AREA_ONLY = { lon: 2.2522, lat: 48.8462 };

async function stored(id: string): Promise<{ address: string | null; address_id: string | null }> {
  const { rows } = await stack.pool.query('SELECT address, address_id FROM reports WHERE id = $1', [id]);
  return rows[0];
}

async function fileThroughForm(fields: Record<string, string>, at: { lon: number; lat: number }) {
  const body = await multipart(reportFormFields(fields, at));
  const response = await stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; ref: string };
}

const mailAbout = (ref: string, subject: RegExp) =>
  waitFor(async () => stack.smtp.mails.find((m) => m.subject?.includes(ref) && subject.test(m.subject)), {
    what: `the mail about ${ref}`,
  });

describe('a new report gets the address at its point', () => {
  it('from the web form: the numbered address and its BAN id, on the public and staff views', async () => {
    const created = await fileThroughForm({ email: 'resident@example.org' }, VICTOIRE);
    expect(await stored(created.id)).toEqual({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });

    const pub = await stack.app.inject(`/api/reports/${created.id}`);
    expect(pub.json().address).toBe(VICTOIRE_LABEL);
    const detail = await stack.app.inject({ url: `/api/staff/reports/${created.id}`, headers: stack.as('council') });
    expect(detail.json().address).toBe(VICTOIRE_LABEL);
    const queue = await stack.app.inject({ url: '/api/staff/reports?status=new', headers: stack.as('council') });
    const item = (queue.json().reports as { id: string; address: string | null }[]).find((r) => r.id === created.id);
    expect(item?.address).toBe(VICTOIRE_LABEL);
  });

  it('a street when no address is within 50 m, none when only an area is known', async () => {
    const street = await fileReport(stack.deps, { point: STREET_ONLY });
    expect(await stored(street.id)).toEqual({ address: 'Place Léon Blum 75011 Paris', address_id: null });
    const area = await fileReport(stack.deps, { point: AREA_ONLY });
    expect(await stored(area.id)).toEqual({ address: null, address_id: null });
  });

  it('from a counter agent’s assisted report', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/api/staff/assisted-reports',
      headers: stack.as('agent'),
      payload: { channel: 'counter', category: 'nid-de-poule', lat: VICTOIRE.lat, lon: VICTOIRE.lon },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(await stored(response.json().id)).toEqual({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });
  });

  it('is filed without an address, never refused, when the lookup fails; the failure is logged', async () => {
    const warn = vi.fn();
    const failing = {
      ...stack.deps.geocoder,
      reverse: () => Promise.reject(new Error('geocoder away')),
    };
    const created = await createReport(
      { ...stack.deps, geocoder: failing, log: { warn } },
      { category: 'nid-de-poule', lat: String(VICTOIRE.lat), lon: String(VICTOIRE.lon), photos: [] },
    );
    expect(await stored(created.id)).toEqual({ address: null, address_id: null });
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('a moved pin', () => {
  it('gets the address at its new point, written with the move', async () => {
    const report = await fileReport(stack.deps, { point: STREET_ONLY });
    const response = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/requalify`,
      headers: stack.as('admin'),
      payload: { lat: VICTOIRE.lat, lon: VICTOIRE.lon },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await stored(report.id)).toEqual({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });

    // A category change alone keeps the address.
    await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/requalify`,
      headers: stack.as('admin'),
      payload: { category: 'encombrant' },
    });
    expect(await stored(report.id)).toEqual({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });

    // Moved where the index knows only the area: no address, rather than the old one.
    await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/requalify`,
      headers: stack.as('admin'),
      payload: { lat: AREA_ONLY.lat, lon: AREA_ONLY.lon },
    });
    expect(await stored(report.id)).toEqual({ address: null, address_id: null });
  });
});

describe('addresses.backfill', () => {
  /** Reports written without the lookup, as the demo seed and older versions did. */
  async function insertWithoutAddress(points: { lon: number; lat: number }[]): Promise<string[]> {
    const { rows } = await stack.pool.query<{ id: string }>(
      `INSERT INTO reports (category_id, description, geom, area_id, source)
       SELECT (SELECT id FROM categories WHERE code = 'nid-de-poule'), 'old', ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326),
              (SELECT id FROM service_areas WHERE code = 'paris-11'), 'demo'
         FROM unnest($1::float8[], $2::float8[]) AS p(lon, lat)
       RETURNING id`,
      [points.map((p) => p.lon), points.map((p) => p.lat)],
    );
    return rows.map((r) => r.id);
  }

  it('fills old reports, leaves those the index places nowhere, and changes nothing the second time', async () => {
    await stack.pool.query('UPDATE reports SET address = coalesce(address, $1)', ['(filed before)']);
    const [victoire, street, area] = await insertWithoutAddress([VICTOIRE, STREET_ONLY, AREA_ONLY]);
    // More than one batch of 500.
    const many = await insertWithoutAddress(Array.from({ length: 1200 }, () => VICTOIRE));

    expect(await backfillReportAddresses(stack.pool)).toEqual({ checked: 1203, filled: 1202 });
    expect(await stored(victoire!)).toEqual({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });
    expect(await stored(street!)).toEqual({ address: 'Place Léon Blum 75011 Paris', address_id: null });
    expect(await stored(area!)).toEqual({ address: null, address_id: null });
    const { rows } = await stack.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reports WHERE id = ANY($1) AND address_id = $2',
      [many, VICTOIRE_ID],
    );
    expect(rows[0]!.n).toBe(1200);

    // Idempotent: only the area-only report is looked at again, and stays as it was.
    expect(await backfillReportAddresses(stack.pool)).toEqual({ checked: 1, filled: 0 });
    expect(await stored(area!)).toEqual({ address: null, address_id: null });
  });

  it('labels a report with an address of its own town only, never one across the boundary', async () => {
    // 229 Rue de Courcelles (Paris 17e) is 3 m inside Paris; the report is 17 m from it, inside
    // Levallois-Perret, whose addresses the demo index does not hold.
    const levallois = { lon: 2.292263, lat: 48.889686 };
    const [report] = await insertWithoutAddress([levallois]);
    const { rows } = await stack.pool.query('SELECT town_code FROM reports WHERE id = $1', [report]);
    expect(rows[0].town_code).toBe('92044');

    expect(await stack.deps.geocoder.reverse(levallois.lon, levallois.lat)).toBeNull();
    await backfillReportAddresses(stack.pool);
    expect(await stored(report!)).toEqual({ address: null, address_id: null });
    // On the Paris side of the boundary the same address is found, as before.
    expect(await stack.deps.geocoder.reverse(2.29228, 48.88954)).toMatchObject({
      kind: 'address',
      label: '229 Rue de Courcelles 75017 Paris',
    });
  });

  it('runs in the worker after every address import, queued in the import’s transaction', async () => {
    const [old] = await insertWithoutAddress([VICTOIRE]);
    await importBanFile(stack.pool, DEMO_ADDRESS_FILE);
    const { rows } = await stack.pool.query(
      `SELECT job_id FROM outbox WHERE job_name = 'addresses.backfill' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].job_id).toMatch(/^addresses-backfill-\d+$/);
    await waitFor(async () => (await stored(old!)).address === VICTOIRE_LABEL, { what: 'the backfill job' });
  });
});

describe('the address is carried by', () => {
  it('the acknowledgement and status mails, whose links use the API’s PORT', async () => {
    const created = await fileThroughForm({ email: 'mails@example.org' }, VICTOIRE);
    const ack = await mailAbout(created.ref, /reçu/);
    expect(ack.text).toContain(`Adresse : ${VICTOIRE_LABEL}`);
    expect(ack.text).toContain(`http://127.0.0.1:3999/r/${created.ref}?t=`);

    const moved = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${created.id}/transitions`,
      headers: stack.as('admin'),
      payload: { to: 'acknowledged' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const update = await mailAbout(created.ref, /^(?!.*reçu)/);
    expect(update.text).toContain(`Adresse : ${VICTOIRE_LABEL}`);
  });

  it('the CSV and GeoJSON exports, as the street without the house number', async () => {
    const report = await fileReport(stack.deps, { point: VICTOIRE });
    const { rows } = await stack.pool.query<{ ref: string }>('SELECT ref FROM reports WHERE id = $1', [report.id]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const period = `from=${today}&to=${today}`;
    // The machine file (codes, commas) and the French one (labels, semicolons) alike.
    const csv = await stack.app.inject({
      url: `/api/exports/reports.csv?${period}&format=codes`,
      headers: stack.as('council'),
    });
    const records = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.find((r) => r.ref === rows[0]!.ref)?.street).toBe('Rue de la Victoire 75009 Paris');
    expect(csv.body).not.toContain(VICTOIRE_LABEL);
    const french = await stack.app.inject({ url: `/api/exports/reports.csv?${period}`, headers: stack.as('council') });
    const frenchRecords = parse(french.body, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(frenchRecords.some((r) => Object.values(r).includes('Rue de la Victoire 75009 Paris'))).toBe(true);
    expect(french.body).not.toContain(VICTOIRE_LABEL);
    const geojson = await stack.app.inject({
      url: `/api/exports/reports.geojson?${period}`,
      headers: stack.as('council'),
    });
    const feature = (geojson.json().features as { properties: Record<string, unknown> }[]).find(
      (f) => f.properties.ref === rows[0]!.ref,
    );
    expect(feature?.properties.street).toBe('Rue de la Victoire 75009 Paris');
  });

  it('Open311 (address, address_id) and its discovery, at the API’s PORT', async () => {
    const report = await fileReport(stack.deps, { point: VICTOIRE });
    const [request] = (await stack.app.inject(`/open311/v2/requests/${report.id}.json`)).json();
    expect(request).toMatchObject({ address: VICTOIRE_LABEL, address_id: VICTOIRE_ID });
    const discovery = (await stack.app.inject('/open311/v2/discovery.json')).json();
    expect(discovery.endpoints[0].url).toBe('http://127.0.0.1:3999/open311/v2');
  });
});
