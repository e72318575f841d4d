import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey } from '@pave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport, fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { fixturePhoto, multipart, reportFormFields } from '../support/multipart';
import { OPEN311_BASE, validPothole } from '../support/open311-app';
import { formBody } from '../support/open311-client';
import { useStack } from '../support/stack';

/**
 * The object store down or refusing us: a photo upload answers 503 STORAGE_UNAVAILABLE and writes
 * nothing (no report, photo or outbox row, no object), the resident keeps the report to send again,
 * and everything that needs no photo bytes goes on (docs/adr/0010).
 */
const FAULTS = [
  // Nothing listens on port 1 of the loopback: the connection is refused at once.
  ['unreachable', { S3_ENDPOINT: 'http://127.0.0.1:1' }],
  // The gateway answers, and refuses the signature (SignatureDoesNotMatch, 403).
  ['refusing our credentials', { S3_SECRET_ACCESS_KEY: 'not-the-secret-key' }],
] as const;

/** Stands for a partner's photo host (Open311 media_url). */
let mediaServer: Server;
let mediaBase: string;

beforeAll(async () => {
  mediaServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixturePhoto('jpg_gps_DSCN0010.jpg'));
  });
  await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
  mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => mediaServer?.close(resolve));
});

describe.each(FAULTS)('an object store %s', (_fault, env) => {
  const stack = useStack({
    storage: 's3',
    env: { ...env, OPEN311_MEDIA_HOSTS: '127.0.0.1' },
    staff: { crew: STAFF_OF_EACH_ROLE.crew },
  });

  async function counts(): Promise<{ reports: number; photos: number; outbox: number }> {
    const { rows } = await stack.pool.query<{ reports: number; photos: number; outbox: number }>(
      `SELECT (SELECT count(*)::int FROM reports) AS reports, (SELECT count(*)::int FROM photos) AS photos,
              (SELECT count(*)::int FROM outbox) AS outbox`,
    );
    return rows[0]!;
  }

  it('refuses a report with photos with 503 STORAGE_UNAVAILABLE, and writes no row and no object', async () => {
    const before = await counts();
    const body = await multipart(reportFormFields({ description: 'avec photos' }), [
      { name: 'un.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') },
      { name: 'deux.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') },
    ]);
    const answer = await stack.app.inject({
      method: 'POST',
      url: '/api/reports',
      ...body,
      headers: { ...body.headers, 'idempotency-key': `storage-faults-${_fault.length}-001` },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({ code: 'STORAGE_UNAVAILABLE', message: expect.any(String) });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    expect(await stack.bucket.keys()).toEqual([]);
    // The same submission sent again (same key) is not held against the resident once the store is back.
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM idempotency_keys');
    expect(rows[0].n).toBe(0);
  });

  it('refuses a crew’s "after" photo the same way, and leaves the report as it was', async () => {
    const report = await fileRoutedReport(stack.deps);
    const before = await counts();
    const body = await multipart({}, [
      { field: 'photo', name: 'apres.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') },
    ]);
    const answer = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/photos`,
      ...body,
      headers: { ...body.headers, ...stack.as('crew') },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json().code).toBe('STORAGE_UNAVAILABLE');
    expect(await counts()).toEqual(before);
    const { rows } = await stack.pool.query(
      "SELECT count(*)::int AS n FROM report_history WHERE report_id = $1 AND event = 'after_photo'",
      [report.id],
    );
    expect(rows[0].n).toBe(0);
    expect(await stack.bucket.keys()).toEqual([]);
  });

  it('answers an Open311 request with a media_url 503 in the specification’s format, writing nothing', async () => {
    const { key } = await createApiKey(stack.pool, `partner ${_fault}`);
    const before = await counts();
    const answer = await stack.app.inject({
      method: 'POST',
      url: `${OPEN311_BASE}/requests.json`,
      ...formBody([...validPothole(key), ['media_url', `${mediaBase}/photo.jpg`]]),
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual([{ code: 503, description: expect.any(String) }]);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    expect(await stack.bucket.keys()).toEqual([]);
  });

  it('keeps serving what needs no photo bytes: a report without photos, its page, the map', async () => {
    const body = await multipart(reportFormFields({ description: 'sans photo' }));
    const created = await stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
    expect(created.statusCode).toBe(201);
    const page = await stack.app.inject({ method: 'GET', url: `/api/reports/${created.json().id}` });
    expect(page.statusCode).toBe(200);
    expect(page.json().photos).toEqual([]);
    const map = await stack.app.inject({ method: 'GET', url: '/api/map/reports?bbox=2.37,48.85,2.39,48.87' });
    expect(map.statusCode).toBe(200);
  });

  it('answers a photo under /media/ with 503 STORAGE_UNAVAILABLE, not 404 or 500', async () => {
    const answer = await stack.app.inject({
      method: 'GET',
      url: '/media/photos/00000000-0000-4000-8000-000000000000/large.jpg',
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json().code).toBe('STORAGE_UNAVAILABLE');
  });
});

describe('a transaction that fails after the photos were stored', () => {
  const stack = useStack({ storage: 's3' });

  it('deletes the objects it wrote: no report row, and no object without its row', async () => {
    const failing = fileReport(stack.deps, {
      photos: ['jpg_gps_DSCN0010.jpg', 'jpg_gps_DSCN0010.jpg'],
      // Stands for PostgreSQL failing after the uploads, inside the same transaction.
      onCreated: async () => {
        throw new Error('the database went away');
      },
    });
    await expect(failing).rejects.toThrow('the database went away');
    const { rows } = await stack.pool.query(
      'SELECT (SELECT count(*)::int FROM reports) AS n, (SELECT count(*)::int FROM photos) AS p',
    );
    expect(rows[0]).toEqual({ n: 0, p: 0 });
    expect(await stack.bucket.keys()).toEqual([]);
  });
});
