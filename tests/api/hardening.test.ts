import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { createTestSettings, testApiConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { multipart, POINT_PARIS_11 } from '../support/multipart';

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(testApiConfig(createTestSettings(db.url)));
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const reportFields = {
  category: 'nid-de-poule',
  lat: String(POINT_PARIS_11.lat),
  lon: String(POINT_PARIS_11.lon),
  description: 'Un trou profond',
};

function expectClientError(response: { statusCode: number; json(): unknown }, status = 400) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('NUL characters', () => {
  it('are refused with a 400 in a query, a path, a JSON body and a multipart field', async () => {
    const inQuery = await app.inject({ url: '/api/reports?bbox=2.37,48.85,2.39,48.87&category=a%00b' });
    expectClientError(inQuery);
    expect(inQuery.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expectClientError(await app.inject({ url: '/api/reports/by-ref/PAV%00' }));
    expectClientError(
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a\u0000@x.fr', password: 'x' } }),
    );
    expectClientError(
      await app.inject({ method: 'POST', url: '/api/me/magic-link', payload: { email: 'a@x.fr', next: '/\u0000' } }),
    );
    const form = await multipart({ ...reportFields, description: 'Un trou\u0000profond' });
    expectClientError(await app.inject({ method: 'POST', url: '/api/reports', ...form }));
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM reports');
    expect(rows[0].n).toBe(0);
  });
});

describe('malformed multipart on POST /api/reports', () => {
  const body = (boundary: string, { close = true } = {}) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nnid-de-poule\r\n` +
        (close ? `--${boundary}--\r\n` : ''),
    );
  const cases: [string, Record<string, string>, Buffer][] = [
    ['no boundary', { 'content-type': 'multipart/form-data' }, body('x')],
    ['a mismatched boundary', { 'content-type': 'multipart/form-data; boundary=other' }, body('x')],
    ['an unterminated body', { 'content-type': 'multipart/form-data; boundary=x' }, body('x', { close: false })],
    [
      'a boundary over 256 characters',
      { 'content-type': `multipart/form-data; boundary=${'b'.repeat(300)}` },
      body('b'.repeat(300)),
    ],
    [
      'a gzip content encoding',
      { 'content-type': 'multipart/form-data; boundary=x', 'content-encoding': 'gzip' },
      body('x'),
    ],
    ['an empty body', { 'content-type': 'multipart/form-data; boundary=x' }, Buffer.alloc(0)],
  ];
  for (const [name, headers, payload] of cases) {
    it(`answers 4xx { code, message } to ${name}, and files nothing`, async () => {
      const response = await app.inject({ method: 'POST', url: '/api/reports', headers, payload });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM reports');
      expect(rows[0].n).toBe(0);
    });
  }
});
