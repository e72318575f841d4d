import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asXmlText, parseOpen311Xml } from '../support/open311-client';
import {
  OPEN311_BASE,
  postRequest,
  startOpen311App,
  validPothole,
  type Open311TestContext,
} from '../support/open311-app';
import { SPEC_FIELD_ORDER, specErrors, type SpecDocument } from '../support/open311-schemas';
import { POINT_PARIS_11 } from '../support/multipart';

let ctx: Open311TestContext;
/** A pothole with private contact details and a hostile description. */
let pothole: { id: string };
/** A token handed out when POST still answered with one (docs/adr/0003): `tokens/{token}` still resolves it. */
const OLD_TOKEN = '5b6f0c1e-8d2a-4c3b-9e4f-0a1b2c3d4e5f';
let bulky: { id: string };
/** Closed by a crew, with a public note. */
let closed: { id: string };

const HOSTILE = '<b>Trou</b> & "danger" ]]> <!-- x --> \u0001 fin';
const PRIVATE = {
  email: 'jeanne@example.org',
  first_name: 'Jeanne',
  last_name: 'Dupontel',
  phone: '+33 6 12 34 56 78',
};

async function file(pairs: [string, string][]): Promise<{ id: string }> {
  const response = await postRequest(ctx.app, pairs);
  expect(response.statusCode, response.body).toBe(200);
  const [created] = response.json();
  return { id: created.service_request_id };
}

beforeAll(async () => {
  ctx = await startOpen311App();
  pothole = await file([
    ...validPothole(ctx.apiKey).filter(([k]) => k !== 'description'),
    ['description', HOSTILE],
    ['address_string', '12 rue de la Roquette, 75011 Paris'],
    ...(Object.entries(PRIVATE) as [string, string][]),
  ]);
  await ctx.db.pool.query('UPDATE reports SET open311_token = $2 WHERE id = $1', [pothole.id, OLD_TOKEN]);
  bulky = await file([
    ['api_key', ctx.apiKey],
    ['service_code', 'encombrant'],
    ['lat', '48.8601'],
    ['long', '2.3801'],
    ['attribute[type_objet][]', 'matelas'],
    ['attribute[type_objet][]', 'meuble'],
  ]);
  closed = await file([
    ['api_key', ctx.apiKey],
    ['service_code', 'tag-facade'],
    ['lat', String(POINT_PARIS_11.lat)],
    ['long', String(POINT_PARIS_11.lon)],
  ]);
  // A crew closes it: what routing and the back office will write.
  await ctx.db.pool.query(
    `UPDATE reports SET status = 'resolved', team_id = (SELECT id FROM teams WHERE code = 'proprete-11'),
            deadline_at = '2026-12-01T10:00:00Z', updated_at = now() WHERE id = $1`,
    [closed.id],
  );
  await ctx.db.pool.query(
    `INSERT INTO report_history (report_id, actor, event, from_status, to_status, is_public, data)
     VALUES ($1, 'agent', 'status_changed', 'new', 'resolved', true, '{"message": "Tag effacé <b>ce matin</b> & fini"}')`,
    [closed.id],
  );
});

afterAll(async () => {
  await ctx?.close();
});

function get(path: string) {
  return ctx.app.inject(`${OPEN311_BASE}/${path}`);
}

describe('Open311: every endpoint in JSON and XML', () => {
  // [endpoint, JSON spec schema, XML root, XML item (null: the root is the document)]
  const endpoints: [string, () => string, SpecDocument, string, string | null][] = [
    ['discovery', () => 'discovery', 'discovery', 'discovery', null],
    ['services', () => 'services', 'services', 'services', 'service'],
    ['service definition', () => 'services/nid-de-poule', 'serviceDefinition', 'service_definition', null],
    ['service definition (lists)', () => 'services/encombrant', 'serviceDefinition', 'service_definition', null],
    ['service definition (no attribute)', () => 'services/tag-facade', 'serviceDefinition', 'service_definition', null],
    ['requests', () => 'requests', 'serviceRequests', 'service_requests', 'request'],
    ['requests?extensions=true', () => 'requests', 'serviceRequestsExtended', 'service_requests', 'request'],
    ['one request', () => `requests/${pothole.id}`, 'serviceRequests', 'service_requests', 'request'],
    ['token', () => `tokens/${OLD_TOKEN}`, 'tokens', 'service_requests', 'request'],
    ['servicerequestupdates', () => 'servicerequestupdates', 'updates', 'service_request_updates', 'request_update'],
  ];

  it.each(endpoints)(
    '%s: JSON matches the specification, XML carries the same elements',
    async (label, path, schema, root, item) => {
      const query = label.includes('?') ? `?${label.split('?')[1]}` : '';
      const json = await get(`${path()}.json${query}`);
      expect(json.statusCode, json.body).toBe(200);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const data = json.json();
      expect(specErrors(schema, data)).toEqual([]);

      const xml = await get(`${path()}.xml${query}`);
      expect(xml.statusCode, xml.body).toBe(200);
      expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(xml.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
      const parsed = parseOpen311Xml(xml.body);
      expect(Object.keys(parsed).filter((k) => k !== '?xml')).toEqual([root]);
      if (item === null) {
        expect(parsed[root]).toEqual(asXmlText(data));
        return;
      }
      const items = (parsed[root] as Record<string, unknown[]> | '') || { [item]: [] };
      expect(items[item] ?? []).toEqual((data as unknown[]).map((d) => asXmlText(d)));
      const order =
        item === 'request_update' ? SPEC_FIELD_ORDER.update : SPEC_FIELD_ORDER[item as 'service' | 'request'];
      for (const element of items[item] ?? []) {
        const keys = Object.keys(element as object).filter((k) => k !== 'extended_attributes' && k !== 'token');
        if (order) expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      }
    },
  );

  it('lists every category as a realtime service, with group, keywords and metadata', async () => {
    const services = (await get('services.json')).json();
    expect(services.length).toBeGreaterThan(20);
    expect(services.find((s: { service_code: string }) => s.service_code === 'nid-de-poule')).toEqual({
      service_code: 'nid-de-poule',
      service_name: 'Nid-de-poule',
      description: 'Nid-de-poule',
      metadata: true,
      type: 'realtime',
      keywords: 'trou,chaussée',
      group: 'Voirie et espace public',
    });
    expect(services.find((s: { service_code: string }) => s.service_code === 'tag-facade').metadata).toBe(false);
  });

  it('defines attributes with every datatype, in order, with list values', async () => {
    const definitions = await Promise.all(
      ['nid-de-poule', 'encombrant', 'lampadaire-eteint'].map(async (code) =>
        (await get(`services/${code}.json`)).json(),
      ),
    );
    const attributes = definitions.flatMap((d) => d.attributes);
    expect(new Set(attributes.map((a: { datatype: string }) => a.datatype))).toEqual(
      new Set(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
    );
    expect(definitions[0].attributes[0]).toMatchObject({
      variable: true,
      code: 'emplacement',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      values: [
        { key: 'chaussee', name: 'Sur la chaussée' },
        { key: 'trottoir', name: 'Sur le trottoir' },
        { key: 'piste-cyclable', name: 'Sur une piste cyclable' },
      ],
    });
    expect(definitions[1].attributes[0]).toMatchObject({ code: 'type_objet', datatype: 'multivaluelist' });
  });

  it('reads a request: open/closed from PUBLIC_STATUS, team, notes, deadline, address, never contact details', async () => {
    const [open] = (await get(`requests/${pothole.id}.json`)).json();
    expect(open).toMatchObject({
      service_request_id: pothole.id,
      status: 'open',
      service_code: 'nid-de-poule',
      service_name: 'Nid-de-poule',
      description: HOSTILE,
      // The index's address at the point, not the address_string the client sent with it.
      address: 'Place Léon Blum 75011 Paris',
      address_id: null,
      lat: POINT_PARIS_11.lat,
      long: POINT_PARIS_11.lon,
      media_url: null,
    });
    const [done] = (await get(`requests/${closed.id}.json`)).json();
    expect(done).toMatchObject({
      status: 'closed',
      status_notes: 'Tag effacé <b>ce matin</b> & fini',
      agency_responsible: 'Propreté — Paris 11e',
      expected_datetime: '2026-12-01T10:00:00.000Z',
    });
    for (const format of ['json', 'xml']) {
      const body = (await get(`requests.${format}?extensions=true`)).body;
      for (const secret of Object.values(PRIVATE)) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/email|phone|first_name|last_name|device_id/);
    }
  });

  it('escapes an XML-looking description and replaces characters XML cannot carry', async () => {
    const xml = (await get(`requests/${pothole.id}.xml`)).body;
    expect(xml).not.toContain('<b>');
    expect(xml).toContain('&lt;b&gt;Trou&lt;/b&gt; &amp; &quot;danger&quot; ]]&gt;');
    const parsed = parseOpen311Xml(xml) as { service_requests: { request: { description: string }[] } };
    expect(parsed.service_requests.request[0]!.description).toBe(HOSTILE.replace('\u0001', '\uFFFD'));
  });

  it('filters by status, service_code and date window; ids override every other criterion', async () => {
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).json().map((r: { service_request_id: string }) => r.service_request_id);
    expect(await ids('status=closed')).toEqual([closed.id]);
    expect((await ids('status=open')).sort()).toEqual([pothole.id, bulky.id].sort());
    expect((await ids('status=open,closed')).length).toBe(3);
    expect(await ids('service_code=encombrant')).toEqual([bulky.id]);
    expect((await ids('service_code=encombrant,tag-facade')).sort()).toEqual([bulky.id, closed.id].sort());
    expect(
      (await ids(`service_request_id=${pothole.id},${closed.id}&status=closed&service_code=encombrant`)).sort(),
    ).toEqual([pothole.id, closed.id].sort());
    expect(await ids('service_request_id=00000000-0000-4000-8000-000000000000,not-an-id')).toEqual([]);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect((await ids(`start_date=${hourAgo}`)).length).toBe(3);
    expect(await ids('start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00%2B01:00')).toEqual([]);
    // An unencoded "+" arrives as a space; it can only mean a timezone offset there.
    expect(await ids('start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00+01:00')).toEqual([]);
    expect(await ids('end_date=2020-01-01T00:00:00Z')).toEqual([]);
  });

  it('pages with page and page_size (newest first)', async () => {
    const all = (await get('requests.json')).json();
    const second = (await get('requests.json?page_size=1&page=2')).json();
    expect(second).toEqual([all[1]]);
    expect((await get('requests.json?page_size=2&page=3')).json()).toEqual([]);
  });

  it('adds the detailed status and public history with extensions=true', async () => {
    const [request] = (await get(`requests/${closed.id}.json?extensions=true`)).json();
    expect(request.extended_attributes).toMatchObject({
      detailed_status: 'resolved',
      detailed_status_label: 'Résolu',
      ref: expect.stringMatching(/^PAV-/),
      history: [
        { event: 'created', status: 'new' },
        { event: 'status_changed', status: 'resolved', note: 'Tag effacé <b>ce matin</b> & fini' },
      ],
    });
    const [plain] = (await get(`requests/${closed.id}.json`)).json();
    expect(plain.extended_attributes).toBeUndefined();
  });

  it('maps a token handed out earlier to its request', async () => {
    expect((await get(`tokens/${OLD_TOKEN}.json`)).json()).toEqual([
      { service_request_id: pothole.id, token: OLD_TOKEN },
    ]);
  });

  it('lists status changes as servicerequestupdates', async () => {
    const updates = (await get('servicerequestupdates.json')).json();
    const change = updates.find(
      (u: { service_request_id: string; status: string }) =>
        u.service_request_id === closed.id && u.status === 'closed',
    );
    expect(change).toMatchObject({ description: 'Tag effacé <b>ce matin</b> & fini', media_url: null });
    const created = updates.filter((u: { service_request_id: string }) => u.service_request_id === pothole.id);
    expect(created).toEqual([expect.objectContaining({ status: 'open', description: 'Reçu' })]);
    expect(
      (await get('servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).json(),
    ).toEqual([]);
  });

  it('accepts our jurisdiction_id and announces the endpoint in discovery', async () => {
    expect((await get('services.json?jurisdiction_id=paris.fr')).statusCode).toBe(200);
    const discovery = (await get('discovery.json')).json();
    expect(discovery.endpoints[0]).toMatchObject({
      url: 'http://127.0.0.1:3000/open311/v2',
      formats: ['text/xml', 'application/json'],
    });
  });
});

describe('Open311: read errors in the specification format', () => {
  const tooManyIds = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  // [label, path without format, query, status]
  const cases: [string, string, string, number][] = [
    ['an unknown format', 'services.csv', '', 404],
    ['an unknown service', 'services/licorne', '', 404],
    ['an unknown request', 'requests/00000000-0000-4000-8000-000000000000', '', 404],
    ['a malformed request id', "requests/1' OR '1'='1", '', 404],
    ['an unknown token', 'tokens/00000000-0000-4000-8000-000000000000', '', 404],
    ['a malformed token', 'tokens/abc', '', 404],
    ['an unknown resource', 'nothing', '', 404],
    ['another jurisdiction', 'services', '?jurisdiction_id=lyon.fr', 404],
    ['another jurisdiction on requests', 'requests', '?jurisdiction_id=lyon.fr', 404],
    ['an unknown service_code filter', 'requests', '?service_code=licorne', 404],
    ['a date that is not ISO 8601', 'requests', '?start_date=yesterday', 400],
    ['a date without time', 'requests', '?start_date=2026-11-01', 400],
    ['a date without timezone', 'requests', '?start_date=2026-11-01T00:00:00', 400],
    ['a date that does not exist', 'requests', '?end_date=2026-02-30T00:00:00Z', 400],
    ['a timezone that does not exist', 'requests', '?end_date=2026-02-01T00:00:00+25:00', 400],
    ['end_date before start_date', 'requests', '?start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z', 400],
    ['a window over 90 days', 'requests', '?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400],
    ['a status that is not open/closed', 'requests', '?status=pending', 400],
    ['a status sent twice', 'requests', '?status=open&status=closed', 400],
    ['a page_size of a million', 'requests', '?page_size=1000000', 400],
    ['a page_size of 0', 'requests', '?page_size=0', 400],
    ['a negative page', 'requests', '?page=-1', 400],
    ['a page that is not a number', 'requests', '?page=two', 400],
    ['extensions=yes', 'requests', '?extensions=yes', 400],
    ['101 ids', 'requests', `?service_request_id=${tooManyIds.join(',')}`, 400],
    ['a bad date on updates', 'servicerequestupdates', '?start_date=2026-13-01T00:00:00Z', 400],
  ];

  it.each(
    cases.flatMap(([label, path, query, status]) => [
      [label, 'json', path, query, status] as const,
      [label, 'xml', path, query, status] as const,
    ]),
  )('answers %s (%s) with the spec error document', async (_label, format, path, query, status) => {
    const response = await get(`${path}.${format}${query}`);
    expect(response.statusCode, response.body).toBe(status);
    if (format === 'json') {
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = response.json();
      expect(specErrors('errors', body)).toEqual([]);
      expect(body[0].code).toBe(status);
    } else {
      expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
      const parsed = parseOpen311Xml(response.body) as { errors: { error: { code: string; description: string }[] } };
      expect(parsed.errors.error).toHaveLength(1);
      expect(parsed.errors.error[0]!.code).toBe(String(status));
      expect(parsed.errors.error[0]!.description.length).toBeGreaterThan(5);
    }
  });

  it('answers a method the specification does not define with a 404 document', async () => {
    const response = await ctx.app.inject({ method: 'DELETE', url: `${OPEN311_BASE}/requests/${pothole.id}.json` });
    expect(response.statusCode).toBe(404);
    expect(specErrors('errors', response.json())).toEqual([]);
  });

  it('serves the OpenAPI document with the Open311 and /api routes', async () => {
    const response = await ctx.app.inject('/api/docs/json');
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/open311/v2/requests.{format}', '/api/reports']));
    expect((await ctx.app.inject('/api/docs/')).statusCode).toBe(200);
  });
});
