import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey, revokeApiKey } from '@pave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePhoto, multipart, POINT_PARIS_11 } from '../support/multipart';
import {
  OPEN311_BASE,
  postRequest,
  startOpen311App,
  validPothole,
  type Open311TestContext,
} from '../support/open311-app';
import { formBody, parseOpen311Xml } from '../support/open311-client';
import { specErrors } from '../support/open311-schemas';

let ctx: Open311TestContext;
let revokedKey: string;
/** Stands for a partner's photo host: serves a JPEG, a non-image and a redirect. */
let mediaServer: Server;
let mediaBase: string;

beforeAll(async () => {
  mediaServer = createServer((request, response) => {
    if (request.url === '/photo.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixturePhoto('jpg_gps_DSCN0010.jpg'));
    } else if (request.url === '/script.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end('#!/bin/sh\necho not a photo\n');
    } else if (request.url === '/redirect.jpg') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
  mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
  ctx = await startOpen311App({ OPEN311_MEDIA_HOSTS: '127.0.0.1', PUBLIC_BASE_URL: 'https://signalement.example.fr' });
  const revoked = await createApiKey(ctx.db.pool, 'former partner');
  await revokeApiKey(ctx.db.pool, revoked.client.id);
  revokedKey = revoked.key;
});

afterAll(async () => {
  await ctx?.close();
  await new Promise((resolve) => mediaServer?.close(resolve));
});

async function counts(): Promise<{ reports: number; photos: number; outbox: number }> {
  const { rows } = await ctx.db.pool.query<{ reports: number; photos: number; outbox: number }>(
    `SELECT (SELECT count(*)::int FROM reports) AS reports, (SELECT count(*)::int FROM photos) AS photos,
            (SELECT count(*)::int FROM outbox) AS outbox`,
  );
  return rows[0]!;
}

function without(pairs: [string, string][], ...keys: string[]): [string, string][] {
  return pairs.filter(([k]) => !keys.includes(k));
}

describe('POST requests', () => {
  it.each(['json', 'xml'] as const)('files a request (%s) through the report pipeline', async (format) => {
    const before = await counts();
    const response = await postRequest(
      ctx.app,
      [
        ...validPothole(ctx.apiKey),
        ['attribute[profondeur_cm]', '7.5'],
        ['email', 'jeanne@example.org'],
        ['first_name', 'Jeanne'],
        ['last_name', 'Dupontel'],
        ['phone', '+33 6 12 34 56 78'],
        ['device_id', 'device-42'],
        ['account_id', 'acct-7'],
        ['jurisdiction_id', 'paris.fr'],
      ],
      format,
    );
    expect(response.statusCode, response.body).toBe(200);
    let created: { service_request_id: string; account_id: string | null; service_notice: unknown };
    if (format === 'json') {
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(specErrors('created', response.json())).toEqual([]);
      created = response.json()[0];
      expect(created.account_id).toBe('acct-7');
      // GeoReport v2 gives a token only in place of an id; the id is known at once.
      expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    } else {
      expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
      const parsed = parseOpen311Xml(response.body) as { service_requests: { request: (typeof created)[] } };
      created = parsed.service_requests.request[0]!;
      expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice', 'account_id']);
      expect(created.service_notice).toBe('');
    }
    const after = await counts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.outbox).toBe(before.outbox + 2); // report.route + report.notify (an e-mail was given)
    const { rows } = await ctx.db.pool.query(
      `SELECT source, attributes, reporter_email, reporter_first_name, reporter_last_name, reporter_phone,
              reporter_device_id, reporter_account_id, open311_token::text AS token, address,
              (SELECT name FROM api_clients WHERE id = api_client_id) AS client
         FROM reports WHERE id = $1`,
      [created.service_request_id],
    );
    expect(rows[0]).toEqual({
      source: 'open311',
      attributes: { emplacement: 'chaussee', profondeur_cm: '7.5' },
      reporter_email: 'jeanne@example.org',
      reporter_first_name: 'Jeanne',
      reporter_last_name: 'Dupontel',
      reporter_phone: '+33 6 12 34 56 78',
      reporter_device_id: 'device-42',
      reporter_account_id: 'acct-7',
      token: null,
      address: 'Place Léon Blum 75011 Paris',
      client: 'test client',
    });
  });

  it.each<[string, [string, string][]]>([
    [
      'attribute[c][]= repeated',
      [
        ['attribute[type_objet][]', 'matelas'],
        ['attribute[type_objet][]', 'meuble'],
      ],
    ],
    [
      'attribute[c]= repeated',
      [
        ['attribute[type_objet]', 'matelas'],
        ['attribute[type_objet]', 'meuble'],
      ],
    ],
    [
      'attribute[c][n]= indexed',
      [
        ['attribute[type_objet][0]', 'matelas'],
        ['attribute[type_objet][1]', 'meuble'],
      ],
    ],
    [
      'a value repeated',
      [
        ['attribute[type_objet][]', 'matelas'],
        ['attribute[type_objet][]', 'meuble'],
        ['attribute[type_objet][]', 'matelas'],
      ],
    ],
  ])('reads a multivaluelist sent as %s', async (_label, attributes) => {
    const response = await postRequest(ctx.app, [
      ['api_key', ctx.apiKey],
      ['service_code', 'encombrant'],
      ['lat', String(POINT_PARIS_11.lat)],
      ['long', String(POINT_PARIS_11.lon)],
      ...attributes,
    ]);
    expect(response.statusCode, response.body).toBe(200);
    const { rows } = await ctx.db.pool.query('SELECT attributes FROM reports WHERE id = $1', [
      response.json()[0].service_request_id,
    ]);
    expect(rows[0].attributes).toEqual({ type_objet: ['matelas', 'meuble'] });
  });

  it('accepts api_key and jurisdiction_id in the query string, and ignores unknown fields', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: `${OPEN311_BASE}/requests.json?api_key=${ctx.apiKey}&jurisdiction_id=paris.fr`,
      ...formBody([...without(validPothole(ctx.apiKey), 'api_key'), ['__proto__', 'x'], ['vendor_field', 'y']]),
    });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('stores lists and datetimes in a normal form', async () => {
    const response = await postRequest(ctx.app, [
      ['api_key', ctx.apiKey],
      ['service_code', 'lampadaire-eteint'],
      ['lat', String(POINT_PARIS_11.lat)],
      ['long', String(POINT_PARIS_11.lon)],
      ['attribute[numero_mat]', '11-0423'],
      ['attribute[eteint_depuis]', '2026-11-28T21:00:00+01:00'],
    ]);
    expect(response.statusCode, response.body).toBe(200);
    const { rows } = await ctx.db.pool.query('SELECT attributes FROM reports WHERE id = $1', [
      response.json()[0].service_request_id,
    ]);
    expect(rows[0].attributes).toEqual({ numero_mat: '11-0423', eteint_depuis: '2026-11-28T20:00:00.000Z' });
  });
});

describe('POST requests: media_url', () => {
  it('fetches a photo from an allowed host and serves its rendition as an absolute media_url', async () => {
    const before = await counts();
    const response = await postRequest(ctx.app, [...validPothole(ctx.apiKey), ['media_url', `${mediaBase}/photo.jpg`]]);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json();
    expect(created.service_notice).toBeNull();
    expect((await counts()).photos).toBe(before.photos + 1);
    // The worker makes renditions; here the photo is marked processed by hand.
    const { rows } = await ctx.db.pool.query(`UPDATE photos SET status = 'ready' WHERE report_id = $1 RETURNING id`, [
      created.service_request_id,
    ]);
    const [request] = (await ctx.app.inject(`${OPEN311_BASE}/requests/${created.service_request_id}.json`)).json();
    expect(request.media_url).toBe(`https://signalement.example.fr/media/photos/${rows[0].id}/large.jpg`);
  });

  it.each([
    ['a host that is not allowed', 'https://images.example.org/photo.jpg', 'pas autorisé'],
    ['a redirect', '/redirect.jpg', 'inaccessible'],
    ['a missing file', '/missing.jpg', 'inaccessible'],
    ['a file that is not an image', '/script.jpg', 'pas une image'],
  ])('files the request without the photo for %s, and says so in service_notice', async (_label, url, notice) => {
    const before = await counts();
    const mediaUrl = url.startsWith('/') ? `${mediaBase}${url}` : url;
    const response = await postRequest(ctx.app, [...validPothole(ctx.apiKey), ['media_url', mediaUrl]]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()[0].service_notice).toContain(notice);
    const after = await counts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.photos).toBe(before.photos);
  });
});

describe('POST requests: refusals in the specification format, writing nothing', () => {
  const valid = () => validPothole(ctx.apiKey);
  // [label, pairs, status, a word the description must contain]
  const cases: [string, () => [string, string][], number, string][] = [
    ['no api_key', () => without(valid(), 'api_key'), 403, 'api_key'],
    ['a wrong api_key', () => [...without(valid(), 'api_key'), ['api_key', 'A'.repeat(43)]], 403, 'api_key'],
    ['a malformed api_key', () => [...without(valid(), 'api_key'), ['api_key', "' OR 1=1 --"]], 403, 'api_key'],
    ['a revoked api_key', () => [...without(valid(), 'api_key'), ['api_key', revokedKey]], 403, 'revoked'],
    ['another jurisdiction', () => [...valid(), ['jurisdiction_id', 'lyon.fr']], 404, 'jurisdiction_id'],
    ['no service_code', () => without(valid(), 'service_code'), 400, 'service_code'],
    ['a wrong service_code', () => [...without(valid(), 'service_code'), ['service_code', 'licorne']], 404, 'licorne'],
    ['no location', () => without(valid(), 'lat', 'long'), 400, 'lat and long'],
    [
      'an address the index cannot locate',
      () => [...without(valid(), 'lat', 'long'), ['address_string', 'zzqx plop']],
      400,
      'could not be located',
    ],
    [
      'an unknown address_id',
      () => [...without(valid(), 'lat', 'long'), ['address_id', '75111_8158']],
      400,
      'not an address of this city',
    ],
    ['lat without long', () => without(valid(), 'long'), 400, 'together'],
    ['lat not a number', () => [...without(valid(), 'lat'), ['lat', 'nord']], 400, 'lat'],
    ['lat out of range', () => [...without(valid(), 'lat'), ['lat', '91']], 400, 'lat'],
    [
      'a point outside the city (Lyon)',
      () => [...without(valid(), 'lat', 'long'), ['lat', '45.764'], ['long', '4.8357']],
      400,
      'outside',
    ],
    ['a required attribute missing', () => without(valid(), 'attribute[emplacement]'), 400, 'emplacement'],
    [
      'a value not in the list',
      () => [...without(valid(), 'attribute[emplacement]'), ['attribute[emplacement]', 'riviere']],
      400,
      'riviere',
    ],
    ['two values for a singlevaluelist', () => [...valid(), ['attribute[emplacement]', 'trottoir']], 400, 'one value'],
    ['an unknown attribute', () => [...valid(), ['attribute[couleur]', 'rouge']], 400, 'couleur'],
    ['a number attribute in words', () => [...valid(), ['attribute[profondeur_cm]', 'profond']], 400, 'number'],
    ['a number attribute in exponent form', () => [...valid(), ['attribute[profondeur_cm]', '1e3']], 400, 'number'],
    [
      'one wrong value in a multivaluelist',
      () => [
        ['api_key', ctx.apiKey],
        ['service_code', 'encombrant'],
        ['lat', String(POINT_PARIS_11.lat)],
        ['long', String(POINT_PARIS_11.lon)],
        ['attribute[type_objet][]', 'matelas'],
        ['attribute[type_objet][]', 'piano'],
      ],
      400,
      'piano',
    ],
    [
      'a datetime attribute that is not ISO 8601',
      () => [
        ['api_key', ctx.apiKey],
        ['service_code', 'lampadaire-eteint'],
        ['lat', String(POINT_PARIS_11.lat)],
        ['long', String(POINT_PARIS_11.lon)],
        ['attribute[eteint_depuis]', 'hier soir'],
      ],
      400,
      'ISO 8601',
    ],
    [
      'a description over 4,000 characters',
      () => [...without(valid(), 'description'), ['description', 'é'.repeat(4001)]],
      400,
      '4000',
    ],
    ['a description sent twice', () => [...valid(), ['description', 'encore']], 400, 'more than once'],
    ['a malformed e-mail', () => [...valid(), ['email', 'pas-une-adresse']], 400, 'e-mail'],
    ['a phone in words', () => [...valid(), ['phone', 'appelez-moi']], 400, 'phone'],
    ['a first_name over 200 characters', () => [...valid(), ['first_name', 'x'.repeat(201)]], 400, 'first_name'],
    ['a media_url that is not a URL', () => [...valid(), ['media_url', 'photo.jpg']], 400, 'media_url'],
    ['a media_url that is not http', () => [...valid(), ['media_url', 'file:///etc/passwd']], 400, 'media_url'],
  ];

  it.each(
    cases.flatMap(([label, pairs, status, word]) => [
      [label, 'json', pairs, status, word] as const,
      [label, 'xml', pairs, status, word] as const,
    ]),
  )('refuses %s (%s)', async (_label, format, pairs, status, word) => {
    const before = await counts();
    const response = await postRequest(ctx.app, pairs(), format);
    expect(response.statusCode, response.body).toBe(status);
    let error: { code: number | string; description: string };
    if (format === 'json') {
      expect(specErrors('errors', response.json())).toEqual([]);
      error = response.json()[0];
    } else {
      expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
      error = (parseOpen311Xml(response.body) as { errors: { error: (typeof error)[] } }).errors.error[0]!;
    }
    expect(String(error.code)).toBe(String(status));
    expect(error.description).toContain(word);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['no body at all', {}],
    ['a multipart body', 'multipart'],
    ['a body over 64 KiB', { payload: `description=${'a'.repeat(70_000)}`, headers: formBody([]).headers }],
    ['a text/plain body', { payload: 'service_code=nid-de-poule', headers: { 'content-type': 'text/plain' } }],
  ])('refuses %s with a 400 document', async (_label, body) => {
    const before = await counts();
    const options =
      body === 'multipart'
        ? await multipart({ api_key: ctx.apiKey, service_code: 'nid-de-poule', lat: '48.859', long: '2.379' })
        : body;
    const response = await ctx.app.inject({ method: 'POST', url: `${OPEN311_BASE}/requests.json`, ...options });
    expect(response.statusCode, response.body).toBe(400);
    expect(specErrors('errors', response.json())).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});
