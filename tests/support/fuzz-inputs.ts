import fc from 'fast-check';

/** The subset of JSON Schema that @fastify/swagger prints for our routes' parameters and bodies. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: boolean;
}

/** A number literal JSON.stringify cannot write (1e309 parses to Infinity, -0, integers past 2^53). */
export class RawJson {
  constructor(readonly text: string) {}
}

const LONG = 100_000;

/** Strings that have broken web APIs: NUL and control characters, injections, traversal, edge numbers and dates. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '\u0001\u0002\u001b[31m\u007f\u0085',
  '\r\n\r\nX-Injected: 1',
  '\t\v\f',
  'x'.repeat(LONG),
  'é'.repeat(LONG),
  "' OR 1=1 --",
  ';DROP TABLE reports',
  "'; SELECT pg_sleep(30); --",
  '$1',
  '%',
  '_',
  '\\',
  '"',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..\\..\\windows\\win.ini',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '0x10',
  '9007199254740993',
  '99999999999999999999999999999999',
  '-2147483649',
  '2147483648',
  '-1',
  '0',
  '1.5',
  ' 1 ',
  'true',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  '123e4567-e89b-12d3-a456-42661417400',
  'PAV-0000-000000',
  'PAV-9999-999999',
  '\ud800',
  '\u202e\u2066',
  '\ufeff',
  '🕳️‍🔥',
  '٣٫٥',
  '2024-02-30',
  '2024-13-01',
  '0000-01-01',
  '99999-12-31',
  '1970-01-01T00:00:00+25:00',
  'infinity',
  '-infinity',
  'epoch',
  'allballs',
  'today',
  '<script>alert(1)</script>',
  ']]><x/>',
  '&amp;&',
  '91',
  '-181',
  '0,0',
  '2.38,48.86,2.379,48.859',
  '-180,-90,180,90',
  'NaN,NaN,NaN,NaN',
  '1e309,0,0,0',
  ',,,',
  '1,2,3,4,5',
];

/** Path values sent without percent-encoding, so the router sees traversal and encoded NUL as a client would send them. */
export const RAW_PATH_STRINGS: readonly string[] = [
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%00',
  'a%00b',
  '%ff%fe',
  '%',
  '%zz',
  '.',
  '..',
];

const nastyString = fc.constantFrom(...NASTY_STRINGS);

/** A scalar of the wrong kind or at the edge: nasty strings, odd numbers, booleans, null. */
export const badScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      new RawJson('1e309'),
      new RawJson('-1e309'),
      new RawJson('-0'),
      new RawJson('123456789012345678901234567890'),
      new RawJson('1e-400'),
      Number.MAX_SAFE_INTEGER + 2,
      -2147483649,
      2147483648,
      -1,
      0,
      0.5,
      true,
      false,
      null,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
);

/** A value of the wrong shape: a bad scalar, or an array or object holding them. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: badScalar },
  { weight: 1, arbitrary: fc.array(badScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'type', 'x'), badScalar) },
);

/** Real values for an object member, by name (an existing report's id, a known team code), or undefined. */
export type MemberValues = (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

const noMembers: MemberValues = () => undefined;

/** Values the schema accepts, biased to its edges (bounds, longest strings, empty arrays) and to `members`. */
export function validValue(schema: JsonSchema, members: MemberValues = noMembers, depth = 0): fc.Arbitrary<unknown> {
  const arb = validNonNull(schema, members, depth);
  return schema.nullable ? fc.oneof(arb, fc.constant(null)) : arb;
}

function validNonNull(schema: JsonSchema, members: MemberValues, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validValue(s, members, depth)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, members, depth)));
  switch (types[0]) {
    case 'string': {
      const minLength = schema.minLength ?? 0;
      const maxLength = schema.maxLength ?? 300;
      if (schema.pattern) {
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= minLength && s.length <= maxLength);
      }
      return fc.oneof(
        fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 40) }),
        fc.constant('x'.repeat(maxLength)),
        fc.constant('é'.repeat(maxLength)),
        nastyString.filter((s) => s.length >= minLength && s.length <= maxLength),
      );
    }
    case 'integer': {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31 - 1;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number': {
      const min = schema.minimum ?? -1e300;
      const max = schema.maximum ?? 1e300;
      return fc.oneof(
        fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(min, max, 0, 48.859, 2.379, 1e300, -1e300, 5e-324),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 6, 6));
      return fc.array(validValue(schema.items ?? {}, members, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => {
          const real = members(k, s);
          const valid = validValue(s, members, depth + 1);
          return [k, real ? fc.oneof({ weight: 3, arbitrary: real }, { weight: 1, arbitrary: valid }) : valid];
        }),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    default:
      return badValue;
  }
}

/** A schema-valid object with one member replaced by a bad value, or dropped. */
export function mutatedObject(schema: JsonSchema, members: MemberValues = noMembers): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  if (keys.length === 0) return badValue;
  return fc
    .tuple(validValue(schema, members), fc.constantFrom(...keys), fc.option(badValue, { freq: 6 }))
    .map(([valid, key, bad]) => {
      const object = { ...(valid as Record<string, unknown>) };
      if (bad === null) delete object[key];
      else object[key] = bad;
      return object;
    });
}

/** GeoJSON-like geometries: closed, self-crossing, degenerate and unclosed rings, far-away or infinite coordinates, wrong nesting. */
export const geoJsonish: fc.Arbitrary<unknown> = (() => {
  const lon = fc.double({ min: 2.25, max: 2.42, noNaN: true });
  const lat = fc.double({ min: 48.81, max: 48.91, noNaN: true });
  const coordinate = fc.oneof({ weight: 8, arbitrary: fc.oneof(lon, lat) }, { weight: 1, arbitrary: badScalar });
  const position = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(lon, lat) },
    { weight: 1, arbitrary: fc.tuple(coordinate, coordinate) },
    { weight: 1, arbitrary: fc.array(coordinate, { maxLength: 4 }) },
  );
  const closed = fc.array(position, { minLength: 1, maxLength: 8 }).map((ring) => [...ring, ring[0]]);
  // A bow-tie: the ring crosses itself.
  const bowTie = fc.tuple(lon, lat).map(([x, y]) => [
    [x, y],
    [x + 0.01, y + 0.01],
    [x + 0.01, y],
    [x, y + 0.01],
    [x, y],
  ]);
  const ring = fc.oneof(closed, bowTie, fc.array(position, { maxLength: 6 }));
  const polygon = fc.array(ring, { minLength: 1, maxLength: 3 });
  const geometry = fc.oneof(
    fc.record({ type: fc.constant('Polygon'), coordinates: polygon }),
    fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(polygon, { maxLength: 3 }) }),
    fc.record({
      type: fc.constantFrom('Point', 'LineString', 'GeometryCollection', 'Feature', 'x', '__proto__'),
      coordinates: fc.oneof(polygon, badValue),
    }),
  );
  const properties = fc.oneof(
    fc.record({
      code: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,12}$/), badScalar),
      name: fc.oneof(fc.string(), badScalar),
    }),
    badValue,
  );
  return fc.oneof(
    { weight: 3, arbitrary: geometry },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('Feature'), properties, geometry }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('FeatureCollection'),
        features: fc.array(fc.record({ type: fc.constant('Feature'), properties, geometry }), { maxLength: 2 }),
      }),
    },
    { weight: 1, arbitrary: badValue },
  );
})();

/** Writes JSON like JSON.stringify, but with RawJson literals as they are. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A value as a query-string or form value. */
export function toText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toText).join(',');
  if (value !== null && typeof value === 'object') return toJson(value);
  return String(value);
}

/** Percent-encodes a URL component; lone surrogates (which encodeURIComponent throws on) become U+FFFD. */
export function encodePart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
  }
}

const DEPTH = 10_000;

/** 10,000 nested arrays: parsers and validators that recurse run out of stack. */
export const DEEP_JSON = '['.repeat(DEPTH) + ']'.repeat(DEPTH);

/** JSON bodies that are not what any route expects, whatever its schema. */
export function malformedJsonBodies(validJson: string): { label: string; payload: string }[] {
  const inside = validJson.startsWith('{') && validJson.length > 2 ? `,${validJson.slice(1)}` : '}';
  return [
    { label: 'deeply nested arrays', payload: DEEP_JSON },
    { label: 'deeply nested objects', payload: '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH) },
    { label: '__proto__ key', payload: `{"__proto__":{"polluted":"yes","role":"admin"}${inside}` },
    {
      label: 'constructor.prototype key',
      payload: `{"constructor":{"prototype":{"polluted":"yes"}}${inside}`,
    },
    { label: 'truncated JSON', payload: validJson.slice(0, Math.max(1, Math.floor(validJson.length / 2))) },
    { label: 'empty body', payload: '' },
    { label: 'JSON null', payload: 'null' },
    { label: 'JSON string', payload: '"\\u0000"' },
    { label: 'JSON number 1e309', payload: '1e309' },
    { label: 'JSON array', payload: `[${validJson}]` },
    { label: 'trailing garbage', payload: `${validJson}}}}` },
    { label: 'NUL inside a key', payload: `{"a\\u0000b":1${inside}` },
  ];
}

/** Multipart bodies broken in the ways parsers have tripped on. `valid` is a well-formed body and its content type. */
export function malformedMultipartBodies(valid: {
  payload: Buffer;
  headers: Record<string, string>;
}): { label: string; payload: Buffer | string; headers: Record<string, string> }[] {
  const type = valid.headers['content-type']!;
  const boundary = /boundary=(.+)$/.exec(type)![1]!;
  const body = valid.payload.toString('latin1');
  const long = 'b'.repeat(300);
  const part = (b: string, headers: string, value: string) => `--${b}\r\n${headers}\r\n\r\n${value}\r\n`;
  return [
    { label: 'no boundary', payload: valid.payload, headers: { 'content-type': 'multipart/form-data' } },
    { label: 'empty boundary', payload: valid.payload, headers: { 'content-type': 'multipart/form-data; boundary=' } },
    {
      label: 'mismatched boundary',
      payload: valid.payload,
      headers: { 'content-type': 'multipart/form-data; boundary=not-the-one' },
    },
    {
      label: 'unterminated body',
      payload: Buffer.from(body.slice(0, body.lastIndexOf(`--${boundary}--`)), 'latin1'),
      headers: { 'content-type': type },
    },
    {
      label: 'truncated mid-part',
      payload: valid.payload.subarray(0, Math.floor(valid.payload.length / 2)),
      headers: { 'content-type': type },
    },
    {
      label: 'boundary over 256 characters',
      payload: Buffer.from(body.split(boundary).join(long), 'latin1'),
      headers: { 'content-type': `multipart/form-data; boundary=${long}` },
    },
    {
      label: 'content-encoding gzip on a plain body',
      payload: valid.payload,
      headers: { 'content-type': type, 'content-encoding': 'gzip' },
    },
    { label: 'empty body', payload: '', headers: { 'content-type': type } },
    { label: 'only the closing boundary', payload: `--${boundary}--\r\n`, headers: { 'content-type': type } },
    {
      label: 'part without a name',
      payload: part(boundary, 'Content-Disposition: form-data', 'x') + `--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: 'part without headers',
      payload: `--${boundary}\r\nno header here\r\n--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: 'file with a traversal name, a NUL and a fake type',
      payload:
        part(
          boundary,
          'Content-Disposition: form-data; name="photos"; filename="../../etc/pa\u0000sswd.jpg"\r\nContent-Type: image/jpeg',
          'not a jpeg at all',
        ) +
        part(
          boundary,
          'Content-Disposition: form-data; name="photo"; filename="..%2f..%2fx.png"\r\nContent-Type: image/png',
          '\u0089PNG\r\n\u001a\n truncated',
        ) +
        `--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: '__proto__ and constructor fields',
      payload:
        part(boundary, 'Content-Disposition: form-data; name="__proto__"', '{"polluted":"yes"}') +
        part(boundary, 'Content-Disposition: form-data; name="constructor"', 'x') +
        `--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: 'too many fields',
      payload:
        Array.from({ length: 40 }, (_, i) => part(boundary, `Content-Disposition: form-data; name="f${i}"`, 'x')).join(
          '',
        ) + `--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: 'field over the size limit',
      payload:
        part(boundary, 'Content-Disposition: form-data; name="description"', 'x'.repeat(40_000)) +
        `--${boundary}--\r\n`,
      headers: { 'content-type': type },
    },
    {
      label: 'header line without end',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="category"${'x'.repeat(20_000)}`,
      headers: { 'content-type': type },
    },
    {
      label: 'JSON sent to a multipart route',
      payload: '{"category":"nid-de-poule"}',
      headers: { 'content-type': 'application/json' },
    },
    { label: 'text/plain', payload: body, headers: { 'content-type': 'text/plain' } },
    { label: 'no content type', payload: body, headers: {} },
  ];
}
