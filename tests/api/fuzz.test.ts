import fc from 'fast-check';
import { createApiKey, createStaffUser, openCitizenSession, upsertCitizenByEmail, type Pool } from '@pave/core';
import { ERRORS } from '@pave/shared';
import type { FastifyInstance } from 'fastify';
import type { Response as InjectResponse } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badScalar,
  badValue,
  DEEP_JSON,
  encodePart,
  geoJsonish,
  malformedJsonBodies,
  malformedMultipartBodies,
  mutatedObject,
  RAW_PATH_STRINGS,
  toJson,
  toText,
  validValue,
  type JsonSchema,
  type MemberValues,
} from '../support/fuzz-inputs';
import { startGeocoderStub, type GeocoderStub } from '../support/geocoder-stub';
import { captureLogs } from '../support/log-capture';
import { signIn } from '../support/factories';
import { fixturePhoto, multipart, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

/**
 * Every operation of the OpenAPI document the app serves, sent generated bad input, anonymously and
 * signed in: no answer is a 5xx, every 4xx is in the route family's error format, nothing hangs.
 * Change SEED to explore further; a failure prints each request so it can be replayed by hand.
 */
const SEED = 20_251_206;
const RUNS_PER_OPERATION = 20;
const BATCH = 6;
const HANG_MS = 5_000;
const PASSWORD = 'correct horse battery';

/** Routes that read their body with request.parts(): the document shows no body for them, so their fields are listed here. */
const MULTIPART_FORMS: Record<string, { fields: Record<string, () => string>; fileField: string }> = {
  'POST /api/reports': {
    fields: {
      category: () => 'nid-de-poule',
      lat: () => String(POINT_PARIS_11.lat),
      lon: () => String(POINT_PARIS_11.lon),
      description: () => 'Un trou profond',
      email: () => 'resident@example.org',
      severity: () => 'genant',
    },
    fileField: 'photos',
  },
  'POST /api/reports/{id}/comments': {
    fields: { t: () => known.trackingToken, text: () => 'Toujours là' },
    fileField: 'photo',
  },
  'POST /api/staff/reports/{id}/photos': { fields: {}, fileField: 'photo' },
};

const STAFF_ONLY = /^\/api\/(staff|admin|analytics|exports)\//;
const CITIZEN = /^\/api\/me(\/|$)/;

// Signing out or erasing the account ends the citizen session the other /api/me operations are fuzzed with.
const ENDS_CITIZEN_SESSION = new Set(['DELETE /api/me', 'POST /api/me/logout']);

type Who = 'anonymous' | 'admin' | 'citizen';

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface Operation {
  key: string;
  method: string;
  path: string;
  spec: OpenApiOperation;
  params: OpenApiParameter[];
  body: 'json' | 'form' | 'multipart' | 'none';
  bodySchema: JsonSchema;
  isStream: boolean;
}

interface FuzzRequest {
  operation: string;
  label: string;
  who: Who;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Built when sent (FormData encoding is async). */
  multipart?: MultipartSpec;
  isStream: boolean;
}

interface Outcome {
  request: FuzzRequest;
  status?: number;
  contentType?: string;
  body?: string;
  error?: string;
  ms: number;
}

const stack = useStack({ api: false });
let app: FastifyInstance;
let geocoder: GeocoderStub;
let logLines: string[];
const cookies: Record<Who, string> = { anonymous: '', admin: '', citizen: '' };
/** Real ids, codes and tokens, so that generated requests also get past the parameter checks. */
const known = {
  reportId: '',
  reportRef: '',
  trackingToken: '',
  areaCode: '',
  /** A category other than the one reports are filed in: generated PATCHes may deactivate it. */
  spareCategory: '',
  groupCode: '',
  open311Token: '',
  apiKey: '',
  userIds: [] as number[],
  teamIds: [] as number[],
  ruleIds: [] as number[],
  areaIds: [] as number[],
};
const outcomes: Outcome[] = [];
let operations: Operation[] = [];
let elapsedMs = 0;

beforeAll(async () => {
  // Geocoding routes reach their handlers through a local stand-in for the national address API.
  geocoder = await startGeocoderStub();
  app = await stack.buildApp({ LOG_LEVEL: 'error', GEOCODER: 'ban-api', GEOCODER_URL: geocoder.url });
  logLines = captureLogs(app);
  await app.ready();
  await seedKnownRows(stack.pool);
  operations = listOperations(app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> });

  const requests = generateRequests();
  const started = Date.now();
  // The session-ending operations go last, so every other /api/me request runs signed in.
  const last = requests.filter((r) => r.who === 'citizen' && ENDS_CITIZEN_SESSION.has(r.operation));
  const first = requests.filter((r) => !last.includes(r));
  for (const list of [first, last]) {
    for (let i = 0; i < list.length; i += BATCH) {
      outcomes.push(...(await Promise.all(list.slice(i, i + BATCH).map(send))));
    }
  }
  elapsedMs = Date.now() - started;
  const statuses = new Map<string, number>();
  for (const o of outcomes)
    statuses.set(String(o.status ?? o.error), (statuses.get(String(o.status ?? o.error)) ?? 0) + 1);
  console.info(
    `fuzz: seed ${SEED}, ${outcomes.length} requests over ${new Set(outcomes.map((o) => o.request.operation)).size} operations in ${elapsedMs} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
}, 300_000);

afterAll(async () => {
  await geocoder?.close();
});

async function seedKnownRows(pool: Pool) {
  const admin = await createStaffUser(pool, { email: 'fuzz-admin@ville.test', password: PASSWORD, role: 'admin' });
  const crew = await createStaffUser(pool, {
    email: 'fuzz-crew@ville.test',
    password: PASSWORD,
    role: 'crew',
    teamCode: 'voirie-11',
  });
  // The admin's own id is left out: a generated PATCH could otherwise demote the session the run depends on.
  known.userIds = [crew.id];
  expect(admin.id).not.toBe(crew.id);
  cookies.admin = await signIn(app, 'fuzz-admin@ville.test', PASSWORD);
  const citizen = await upsertCitizenByEmail(pool, 'fuzz-resident@example.org', 'fr');
  cookies.citizen = `pave_citizen=${(await openCitizenSession(pool, citizen)).sessionToken}`;

  const form = await multipart(
    { category: 'nid-de-poule', lat: String(POINT_PARIS_11.lat), lon: String(POINT_PARIS_11.lon) },
    [{ name: 'photo.jpg', data: fixturePhoto('jpg_orientation_portrait_6.jpg') }],
  );
  const created = await app.inject({ method: 'POST', url: '/api/reports', ...form });
  expect(created.statusCode).toBe(201);
  const report = created.json<{ id: string; ref: string; trackingUrl: string }>();
  known.reportId = report.id;
  known.reportRef = report.ref;
  known.trackingToken = new URL(report.trackingUrl, 'http://x').searchParams.get('t')!;

  known.apiKey = (await createApiKey(pool, 'fuzz client')).key;
  const viaOpen311 = await app.inject({
    method: 'POST',
    url: '/open311/v2/requests.json',
    payload: new URLSearchParams([
      ['api_key', known.apiKey],
      ['service_code', 'nid-de-poule'],
      ['lat', String(POINT_PARIS_11.lat)],
      ['long', String(POINT_PARIS_11.lon)],
      ['attribute[emplacement]', 'chaussee'],
    ]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(viaOpen311.statusCode, viaOpen311.body).toBeLessThan(300);
  known.open311Token = viaOpen311.json<{ token?: string }[]>()[0]?.token ?? 'x';

  const ids = async (table: string) =>
    (await pool.query<{ id: number }>(`SELECT id FROM ${table} LIMIT 3`)).rows.map((r) => r.id);
  known.teamIds = await ids('teams');
  known.ruleIds = await ids('routing_rules');
  // Areas away from the test point: a generated PUT may replace their geometry.
  known.areaIds = (
    await pool.query<{ id: number }>(
      `SELECT id FROM service_areas WHERE NOT ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY id LIMIT 3`,
      [POINT_PARIS_11.lon, POINT_PARIS_11.lat],
    )
  ).rows.map((r) => r.id);
  known.spareCategory = (
    await pool.query<{ code: string }>(`SELECT code FROM categories WHERE code <> 'nid-de-poule' ORDER BY id LIMIT 1`)
  ).rows[0]!.code;
  known.areaCode = (
    await pool.query<{ code: string }>('SELECT code FROM service_areas ORDER BY id LIMIT 1')
  ).rows[0]!.code;
  known.groupCode = (
    await pool.query<{ code: string }>('SELECT code FROM category_groups ORDER BY id LIMIT 1')
  ).rows[0]!.code;
}

function listOperations(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const list: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`;
      const content = spec.requestBody?.content ?? {};
      const body = MULTIPART_FORMS[key]
        ? 'multipart'
        : content['application/x-www-form-urlencoded']
          ? 'form'
          : content['application/json']
            ? 'json'
            : 'none';
      list.push({
        key,
        method: method.toUpperCase(),
        path,
        spec,
        params: spec.parameters ?? [],
        body,
        bodySchema: Object.values(content)[0]?.schema ?? {},
        isStream: Object.values(spec.responses ?? {}).some((r) => 'text/event-stream' in (r.content ?? {})),
      });
    }
  }
  return list;
}

/** Real values for a parameter or field name, when the test has some. */
function plausible(name: string, schema: JsonSchema = {}): string[] {
  const integerIds = [...known.userIds, ...known.teamIds, ...known.ruleIds, ...known.areaIds].map(String);
  const byName: Record<string, string[]> = {
    id: schema.type === 'integer' ? integerIds : [known.reportId, `photo-${known.reportId}`],
    ref: [known.reportRef],
    service_request_id: [known.reportRef, known.reportId],
    token: [known.open311Token, known.trackingToken],
    t: [known.trackingToken],
    code: [known.spareCategory],
    service_code: ['nid-de-poule'],
    category: ['nid-de-poule'],
    provider: ['franceconnect'],
    format: ['json', 'xml'],
    z: ['12'],
    x: ['2075'],
    y: ['1409'],
    lat: [String(POINT_PARIS_11.lat)],
    lon: [String(POINT_PARIS_11.lon)],
    long: [String(POINT_PARIS_11.lon)],
    bbox: ['2.37,48.85,2.39,48.87'],
    api_key: [known.apiKey],
    team: ['voirie-11'],
    area: [known.areaCode],
    group: [known.groupCode],
    status: ['new', 'open', 'closed', 'new,acknowledged'],
    from: [day(-60)],
    since: [day(-60)],
    until: [day(1)],
    start_date: [`${day(-60)}T00:00:00Z`],
    end_date: [`${day(1)}T00:00:00Z`],
    'x-pave-device': ['fuzz-device-0001'],
    q: ['trou', known.reportRef],
    assignee: ['me', 'none', String(known.userIds[0])],
    email: ['resident@example.org'],
    residentEmail: ['resident@example.org'],
    password: [PASSWORD],
    channel: ['counter', 'phone', 'email'],
    severity: ['genant', 'tres_genant', 'dangereux'],
    duplicateOf: [known.reportId],
    scheduledFor: [day(7)],
    areaCode: [known.areaCode],
    jurisdiction_id: ['paris.fr'],
    returnTo: ['/mes-signalements'],
  };
  // `to` is a date in analytics queries and a status in a transition body.
  if (name === 'to') return schema.maxLength === 10 ? [day(1)] : ['acknowledged', 'scheduled', 'resolved', 'duplicate'];
  return byName[name] ?? [];
}

/** Real values for body members, typed as the schema wants them. */
const members: MemberValues = (name, schema) => {
  if (name === 'ids') return fc.constant(schema.items?.type === 'integer' ? known.ruleIds : [known.reportId]);
  if (name === 'userId') return fc.constantFrom(...known.userIds);
  const real = plausible(name, schema);
  if (real.length === 0) return undefined;
  if (schema.type === 'number') return fc.constantFrom(...real.map(Number));
  return schema.type === 'string' ? fc.constantFrom(...real) : undefined;
};

/** YYYY-MM-DD, `offset` days from today: periods stay within the limits of each route. */
function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A value the operation should accept: a real one when the test has it, else one the schema allows. */
function goodValue(parameter: { name: string; schema?: JsonSchema }): fc.Arbitrary<string> {
  // A fresh key each time: the same key with another body is (rightly) refused as a reuse.
  if (parameter.name === 'idempotency-key') return fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
  const real = plausible(parameter.name, parameter.schema);
  const valid = validValue(parameter.schema ?? {}).map(toText);
  return real.length > 0
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: valid })
    : valid;
}

const badText = badValue.map(toText);

/** Good values for a list of inputs (null: left out), and when `spoiled` one of them made bad. */
function oneBad(
  goods: fc.Arbitrary<string | null>[],
  bad: (index: number) => fc.Arbitrary<string>,
  spoiled: boolean,
): fc.Arbitrary<(string | null)[]> {
  if (goods.length === 0) return fc.constant([]);
  const good = fc.tuple(...goods);
  if (!spoiled) return good;
  const spoil = fc.oneof(...goods.map((_, i) => bad(i).map((value) => [i, value] as const)));
  return fc.tuple(good, spoil).map(([values, [i, value]]) => values.map((v, j) => (j === i ? value : v)));
}

const optional = (good: fc.Arbitrary<string>) => fc.option(good, { freq: 3 });

function pathArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<string> {
  const names = op.params.filter((p) => p.in === 'path');
  // Raw values go in unencoded: traversal and encoded NUL as a client would send them.
  const bad = fc.oneof(
    { weight: 5, arbitrary: badText.map(encodePart) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH_STRINGS) },
  );
  return oneBad(
    names.map((p) => goodValue(p).map(encodePart)),
    () => bad,
    spoiled,
  ).map((values) => names.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]!), op.path));
}

function queryArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<string> {
  const names = op.params.filter((p) => p.in === 'query');
  const first = names[0]?.name ?? 'x';
  const extras = fc.constantFrom(
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    '__proto__=x',
    `${first}=1&${first}=2`,
    '%zz=%zz',
    '=&&=&',
    `x=${'y'.repeat(100_000)}`,
  );
  const pairs = oneBad(
    [...names.map((p) => optional(goodValue(p).map((v) => `${p.name}=${encodePart(v)}`))), fc.constant(null)],
    (i) => (i < names.length ? badText.map((v) => `${names[i]!.name}=${encodePart(v)}`) : extras),
    spoiled,
  );
  return pairs.map((values) => values.filter((v): v is string => v !== null).join('&'));
}

const HEADER_SAFE = /^[\t\x20-\x7e]{0,8000}$/;

function headerArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<Record<string, string>> {
  const names = op.params.filter((p) => p.in === 'header');
  const bad = fc.oneof(badText, fc.constantFrom('x'.repeat(8_000), '', ' ', 'null'));
  // Node refuses control characters and non-Latin-1 text in a header before it is sent: those are left out.
  return oneBad(
    names.map((p) => optional(goodValue(p))),
    () => bad,
    spoiled,
  ).map((values) =>
    Object.fromEntries(
      names.flatMap((p, i) => (values[i] === null || !HEADER_SAFE.test(values[i]!) ? [] : [[p.name, values[i]!]])),
    ),
  );
}

const JSON_TYPE = { 'content-type': 'application/json' };

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  ';;;',
];

interface Body {
  label: string;
  payload?: string | Buffer;
  headers: Record<string, string>;
  /** Encoded when sent (FormData encoding is async). */
  multipart?: MultipartSpec;
}

function jsonBodyArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<Body> {
  const schema = op.bodySchema;
  // A body without a schema (GeoJSON areas) is validated by its service: it gets geometry, good or bad.
  const good = schema.type ? validValue(schema, members) : geoJsonish;
  const json = (label: string, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ label, payload: toJson(v), headers: JSON_TYPE }));
  if (!spoiled) return json('good JSON', good);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: json('JSON with one bad member', schema.type ? mutatedObject(schema, members) : geoJsonish),
    },
    { weight: 1, arbitrary: json('JSON of the wrong shape', badValue) },
    {
      weight: 1,
      arbitrary: fc.tuple(good, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([v, type]) => ({
        label: 'JSON under a wrong content type',
        payload: toJson(v),
        headers: { 'content-type': type },
      })),
    },
  );
}

function formBodyArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<Body> {
  const fields = [
    ...Object.entries(op.bodySchema.properties ?? {}).map(([name, schema]) => ({ name, schema })),
    { name: 'attribute[emplacement]', schema: { type: 'string' } },
  ];
  // A field sent twice arrives as an array; \u0001 separates the values of one generated field.
  const bad = fc.oneof(
    { weight: 4, arbitrary: badText },
    {
      weight: 1,
      arbitrary: fc.array(badScalar.map(toText), { minLength: 2, maxLength: 3 }).map((vs) => vs.join('\u0001')),
    },
  );
  return oneBad(
    fields.map((f) => (plausible(f.name).length > 0 ? goodValue(f) : optional(goodValue(f)))),
    () => bad,
    spoiled,
  ).map((values) => {
    const form = new URLSearchParams();
    fields.forEach(({ name }, i) => {
      for (const v of values[i]?.split('\u0001') ?? []) form.append(name, v);
    });
    return {
      label: spoiled ? 'form with one bad field' : 'good form',
      payload: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  });
}

const FILES = [
  { name: 'truncated.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg').subarray(0, 4_096) },
  { name: '../../etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/bash\n') },
  { name: 'empty.jpg', data: Buffer.alloc(0) },
  { name: 'nul\u0000.png', data: Buffer.from('\u0089PNG\r\n\u001a\n') },
];

interface MultipartSpec {
  fields: [string, string][];
  files: { field: string; index: number }[];
}

function multipartArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<Body> {
  const form = MULTIPART_FORMS[op.key]!;
  // The two extra names are fields no route knows: they are sent only as the bad field.
  const names = [...Object.keys(form.fields), 'unknown', '__proto__'];
  const goods = names.map((name) =>
    Object.hasOwn(form.fields, name) ? fc.constant(form.fields[name]!()) : fc.constant(null),
  );
  const files = fc.array(
    fc.record({
      field: fc.constantFrom(form.fileField, form.fileField, 'other'),
      index: fc.nat({ max: FILES.length - 1 }),
    }),
    { minLength: 1, maxLength: 2 },
  );
  const spec: fc.Arbitrary<MultipartSpec> = fc.record({
    fields: oneBad(goods, () => badText, spoiled).map((values) =>
      names.flatMap((name, i): [string, string][] => (values[i] === null ? [] : [[name, values[i]!]])),
    ),
    files: spoiled
      ? fc.option(files, { nil: [] as MultipartSpec['files'] })
      : fc.constant([] as MultipartSpec['files']),
  });
  return spec.map((multipart) => ({
    label: spoiled ? 'multipart with a bad field or file' : 'good multipart',
    headers: {},
    multipart,
  }));
}

const UNEXPECTED_BODIES: Body[] = [
  { label: 'unexpected JSON body', payload: '{"a":1}', headers: JSON_TYPE },
  {
    label: 'unexpected deep JSON body',
    payload: DEEP_JSON,
    headers: JSON_TYPE,
  },
  { label: 'unexpected text body', payload: '\u0000\u0001', headers: { 'content-type': 'text/plain' } },
];

function bodyArbitrary(op: Operation, spoiled: boolean): fc.Arbitrary<Body | null> {
  switch (op.body) {
    case 'json':
      return jsonBodyArbitrary(op, spoiled);
    case 'form':
      return formBodyArbitrary(op, spoiled);
    case 'multipart':
      return multipartArbitrary(op, spoiled);
    default:
      return spoiled ? fc.constantFrom(...UNEXPECTED_BODIES) : fc.constant(null);
  }
}

type Part = 'path' | 'query' | 'header' | 'body';

/** A generated request: everything good, then usually one part of it (path, query, headers or body) spoiled. */
function generatedArbitrary(op: Operation) {
  const parts: Part[] = (['path', 'query', 'header'] as const).filter((where) => op.params.some((p) => p.in === where));
  const target = fc.oneof(
    { weight: 3 * (parts.length + 1), arbitrary: fc.constantFrom<Part>(...parts, 'body') },
    { weight: 1, arbitrary: fc.constant('nothing' as const) },
    { weight: 1, arbitrary: fc.constant('everything' as const) },
  );
  return target.chain((spoil) => {
    const is = (part: Part) => spoil === part || spoil === 'everything';
    return fc.record({
      spoil: fc.constant(spoil),
      path: pathArbitrary(op, is('path')),
      query: queryArbitrary(op, is('query')),
      headers: headerArbitrary(op, is('header')),
      body: bodyArbitrary(op, is('body')),
    });
  });
}

/** A well-formed multipart body, the starting point of the broken ones. */
const VALID_MULTIPART = (() => {
  const boundary = '----fuzzboundary7MA4YWxkTrZu0gW';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = Buffer.from(
    field('category', 'nid-de-poule') +
      field('lat', String(POINT_PARIS_11.lat)) +
      field('lon', String(POINT_PARIS_11.lon)) +
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ff\u00e0 not really\r\n` +
      `--${boundary}--\r\n`,
    'latin1',
  );
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
})();

/** Hostile bodies sent to every operation that takes a body of that kind, whatever the seed. */
function fixedBodies(op: Operation): Body[] {
  if (op.body === 'json') {
    const sample = toJson(
      fc.sample(op.bodySchema.type ? validValue(op.bodySchema, members) : geoJsonish, { seed: SEED, numRuns: 1 })[0],
    );
    return [
      ...malformedJsonBodies(sample).map((b) => ({ ...b, headers: JSON_TYPE })),
      ...WRONG_CONTENT_TYPES.slice(0, 3).map((type) => ({
        label: `wrong content type ${type}`,
        payload: sample,
        headers: { 'content-type': type },
      })),
      { label: 'no body at all', headers: {} },
      {
        label: 'content-encoding gzip on a plain body',
        payload: sample,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      },
      { label: 'over the body limit', payload: `{"a":"${'x'.repeat(1_100_000)}"}`, headers: JSON_TYPE },
    ];
  }
  if (op.body === 'form') {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    return [
      ...[
        '',
        '%',
        '%zz=%zz',
        '=&=&=',
        'api_key',
        `api_key=${known.apiKey}&${'a=b&'.repeat(5_000)}`,
        'x'.repeat(200_000),
      ].map((payload) => ({ label: 'malformed form', payload, headers: form })),
      { label: 'JSON instead of a form', payload: '{"api_key":"x"}', headers: JSON_TYPE },
      { label: 'deep JSON instead of a form', payload: DEEP_JSON, headers: JSON_TYPE },
      { label: 'no body at all', headers: {} },
    ];
  }
  if (op.body === 'multipart') {
    return malformedMultipartBodies(VALID_MULTIPART).map((b) => ({ ...b, label: `multipart: ${b.label}` }));
  }
  return [];
}

/** The same hostile value in every path parameter, or every query parameter (the others real). */
function fixedUrls(op: Operation): { label: string; url: string }[] {
  const inPath = op.params.filter((p) => p.in === 'path');
  const inQuery = op.params.filter((p) => p.in === 'query');
  const fill = (value: (p: OpenApiParameter) => string) =>
    inPath.reduce((path, p) => path.replace(`{${p.name}}`, value(p)), op.path);
  const realPath = fill((p) => encodePart(plausible(p.name, p.schema)[0] ?? 'x'));
  const urls: { label: string; url: string }[] = [];
  for (const value of ['\u0000', 'x'.repeat(100_000), "' OR 1=1 --", '1e309', '-1', '99999999999999999999']) {
    const shown = JSON.stringify(value.slice(0, 20));
    if (inPath.length > 0) urls.push({ label: `every path parameter = ${shown}`, url: fill(() => encodePart(value)) });
    if (inQuery.length > 0) {
      const query = inQuery.map((p) => `${p.name}=${encodePart(value)}`).join('&');
      urls.push({ label: `every query parameter = ${shown}`, url: `${realPath}?${query}` });
    }
  }
  if (inPath.length > 0) {
    for (const raw of ['../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%00']) {
      urls.push({ label: `raw path parameter ${raw}`, url: fill(() => raw) });
    }
  }
  return [{ label: 'real parameters', url: realPath }, ...urls];
}

/** Requests that once answered 5xx, sent whatever the seed (with real path parameters unless `url` says otherwise). */
const REGRESSIONS: Record<string, () => { label: string; url?: string; json?: unknown }[]> = {
  // The default service is the code without its number: "-12" left an empty one (CHECK violation).
  'POST /api/admin/teams': () => [
    { label: 'a code that leaves no service', json: { code: '-12', name: 'Sans service' } },
    { label: 'a number as the code', json: { code: -634459, name: 'Sans service' } },
  ],
  // Ajv coerces "1e309" and "-Infinity" to ±Infinity and then skips every bound (ajv-validator/ajv#2212).
  'DELETE /api/admin/rules/{id}': () => [{ label: 'an infinite id', url: '/api/admin/rules/-Infinity' }],
  'PATCH /api/admin/categories/{code}': () => [{ label: 'an infinite deadline', json: { deadlineHours: '1e309' } }],
  'POST /api/staff/reports/{id}/assign': () => [{ label: 'an infinite user id', json: { userId: '-Infinity' } }],
  'GET /api/staff/jobs/failed': () => [{ label: 'an infinite limit', url: '/api/staff/jobs/failed?limit=-Infinity' }],
  // A NUL refused by the app-wide guard reached the Open311 error handler as an unknown error.
  'GET /open311/v2/services.{format}': () => [
    { label: 'a NUL in the query', url: '/open311/v2/services.xml?jurisdiction_id=%00' },
  ],
};

/** Builds every request: fixed hostile cases per operation, then RUNS_PER_OPERATION generated ones, for each identity. */
function generateRequests(): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  operations.forEach((op, index) => {
    const who: Who[] = ['anonymous'];
    if (STAFF_ONLY.test(op.path)) who.push('admin');
    if (CITIZEN.test(op.path)) who.push('citizen');
    const [real, ...urls] = fixedUrls(op);
    const fixed: { label: string; url: string; headers: Record<string, string>; body: Body | null }[] = [
      ...urls.map(({ label, url }) => ({ label, url, headers: {}, body: null })),
      ...fixedBodies(op).map((body) => ({ label: body.label, url: real!.url, headers: {}, body })),
      ...(REGRESSIONS[op.key]?.() ?? []).map((r) => ({
        label: `regression: ${r.label}`,
        url: r.url ?? real!.url,
        headers: {},
        body: r.json === undefined ? null : { label: r.label, payload: toJson(r.json), headers: JSON_TYPE },
      })),
    ];
    const generated = fc
      .sample(generatedArbitrary(op), { seed: SEED + index, numRuns: RUNS_PER_OPERATION })
      .map((g) => ({
        label:
          g.spoil === 'nothing'
            ? 'generated, all good'
            : `generated, bad ${g.spoil}${g.body ? ` (${g.body.label})` : ''}`,
        url: g.query ? `${g.path}?${g.query}` : g.path,
        headers: g.headers,
        body: g.body,
      }));
    for (const identity of who) {
      for (const r of [...fixed, ...generated]) {
        requests.push({
          operation: op.key,
          label: r.label,
          who: identity,
          method: op.method,
          url: r.url,
          headers: {
            ...r.headers,
            ...r.body?.headers,
            ...(identity === 'anonymous' ? {} : { cookie: cookies[identity] }),
          },
          payload: r.body?.payload,
          multipart: r.body?.multipart,
          isStream: op.isStream,
        });
      }
    }
  });
  return requests;
}

async function send(request: FuzzRequest): Promise<Outcome> {
  if (request.multipart) {
    const { fields, files } = request.multipart;
    // FormData encodes a value by its UTF-16 code units: a lone surrogate is replaced, as a browser would.
    const body = await multipart(
      Object.fromEntries(fields),
      files.map((f) => ({ field: f.field, ...FILES[f.index]! })),
    );
    request.headers = { ...request.headers, ...body.headers };
    request.payload = body.payload;
    delete request.multipart;
  }
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), HANG_MS);
  });
  const run = async () => {
    const response: InjectResponse = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
      // A stream that opens never ends: its answer is settled once the headers are out.
      ...(request.isStream ? { payloadAsStream: true } : {}),
    });
    let body: string;
    if (request.isStream) {
      if (response.statusCode < 400) {
        // Closing the request is how a client goes away: the route unsubscribes from the event hub.
        response.raw.res.req.destroy();
        response.stream().destroy();
        body = '';
      } else {
        const chunks: Buffer[] = [];
        for await (const chunk of response.stream()) chunks.push(Buffer.from(chunk));
        body = Buffer.concat(chunks).toString('utf8');
      }
    } else {
      body = response.body;
    }
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body };
  };
  try {
    const result = await Promise.race([run(), timeout]);
    if (result === 'timeout') return { request, error: `no answer within ${HANG_MS} ms`, ms: Date.now() - started };
    return { request, ...result, ms: Date.now() - started };
  } catch (error) {
    return { request, error: `inject failed: ${(error as Error).message}`, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const clip = (text: string | Buffer | undefined, max = 300) => {
  if (text === undefined) return '(none)';
  const s = Buffer.isBuffer(text) ? text.toString('latin1') : text;
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);
};

/** Enough to replay a request by hand: method, URL, the headers that matter, a truncated body; then what came back. */
function describeOutcome(o: Outcome, extra = ''): string {
  const r = o.request;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${k === 'cookie' ? `<${r.who} session>` : clip(v, 120)}`)
    .join('; ');
  const answer = o.error ?? `${o.status} ${o.contentType} ${clip(o.body, 400)}`;
  return `- [${r.operation}] ${r.label} (as ${r.who})\n    ${r.method} ${clip(r.url, 300)}\n    headers: ${headers || '(none)'}\n    body: ${clip(r.payload)}\n    → ${answer}${extra}`;
}

/** What is wrong with a 4xx body, or null: `{ code, message }` for /api, the specification's error document for Open311. */
function errorBodyProblem(o: Outcome): string | null {
  // As routed: dot segments are resolved before the router sees the path.
  const path = new URL(o.request.url, 'http://x').pathname;
  if (path.startsWith('/open311/v2/')) {
    if (/\.xml$/i.test(path)) {
      return /^<\?xml[^>]*>\s*<errors>\s*<error>\s*<code>\d+<\/code>\s*<description>[^<]*<\/description>/.test(
        o.body ?? '',
      )
        ? null
        : 'not an Open311 XML errors document';
    }
    try {
      const parsed = JSON.parse(o.body ?? '') as unknown;
      const ok =
        Array.isArray(parsed) &&
        parsed.length > 0 &&
        parsed.every(
          (e: { code?: unknown; description?: unknown }) =>
            (typeof e.code === 'number' || typeof e.code === 'string') && typeof e.description === 'string',
        );
      return ok ? null : 'not an Open311 JSON array of { code, description }';
    } catch {
      return 'not JSON';
    }
  }
  try {
    const parsed = JSON.parse(o.body ?? '') as { code?: unknown; message?: unknown } | null;
    if (!parsed || typeof parsed.code !== 'string' || typeof parsed.message !== 'string') {
      return 'not { code: string, message: string }';
    }
    return Object.hasOwn(ERRORS, parsed.code) ? null : `code ${parsed.code} is not one of shared/src/errors.ts`;
  } catch {
    return 'not JSON';
  }
}

/** Replays one request alone and returns the server's error log lines written meanwhile. */
async function serverLogFor(o: Outcome): Promise<string> {
  const before = logLines.length;
  await send({ ...o.request, headers: { ...o.request.headers } });
  const lines = logLines.slice(before).map((line) => {
    try {
      const parsed = JSON.parse(line) as {
        msg?: string;
        err?: { type?: string; message?: string; code?: string; stack?: string };
      };
      const stack = parsed.err?.stack?.split('\n').slice(0, 4).join(' | ') ?? '';
      return `${parsed.msg ?? ''}: ${parsed.err?.code ?? ''} ${stack || parsed.err?.message || ''}`;
    } catch {
      return line.slice(0, 500);
    }
  });
  return lines.length > 0 ? `\n    server log: ${lines.join('\n      ')}` : '';
}

describe(`fuzzing every operation of the OpenAPI document (seed ${SEED})`, () => {
  it('sends at least 1,000 requests and covers every operation, anonymously and signed in', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(1_000);
    const exercised = new Set(outcomes.map((o) => o.request.operation));
    expect([...exercised].sort()).toEqual(operations.map((op) => op.key).sort());
    const signedIn = new Set(outcomes.filter((o) => o.request.who === 'admin').map((o) => o.request.operation));
    const staffOnly = operations.filter((op) => STAFF_ONLY.test(op.path));
    expect([...signedIn].sort()).toEqual(staffOnly.map((op) => op.key).sort());
    // The routes with multipart bodies are all known to the generator.
    const multipartInDocument = operations.filter((op) => /multipart/i.test(op.spec.summary ?? '')).map((op) => op.key);
    expect(multipartInDocument.sort()).toEqual(Object.keys(MULTIPART_FORMS).sort());
  });

  it('never answers 5xx', async () => {
    const failures = outcomes.filter((o) => o.status !== undefined && o.status >= 500);
    const described: string[] = [];
    // The first few are replayed alone to show the server's log; the rest are listed as they came.
    for (const [i, o] of failures.entries()) described.push(describeOutcome(o, i < 25 ? await serverLogFor(o) : ''));
    expect(failures.length, `${failures.length} answers ≥ 500 (seed ${SEED}):\n${described.join('\n')}`).toBe(0);
  });

  it('answers every 4xx in the error format of its route family', () => {
    const failures = outcomes
      .filter((o) => o.status !== undefined && o.status >= 400 && o.status < 500)
      .map((o) => ({ o, problem: errorBodyProblem(o) }))
      .filter((f) => f.problem !== null);
    expect(
      failures.length,
      `${failures.length} 4xx bodies in the wrong format (seed ${SEED}):\n${failures.map((f) => describeOutcome(f.o, `\n    problem: ${f.problem}`)).join('\n')}`,
    ).toBe(0);
  });

  it(`settles every request within ${HANG_MS} ms`, () => {
    const failures = outcomes.filter((o) => o.error !== undefined);
    expect(
      failures.length,
      `${failures.length} requests hung or failed (seed ${SEED}):\n${failures.map((o) => describeOutcome(o)).join('\n')}`,
    ).toBe(0);
  });

  it('leaves Object.prototype unpolluted and the sessions signed in', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const me = await app.inject({ method: 'GET', url: '/api/staff/me', headers: { cookie: cookies.admin } });
    expect(me.statusCode).toBe(200);
  });
});
