import sharp from 'sharp';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStaffUser } from '@pave/core';
import { fixturePhoto, multipart, POINT_PARIS_11, reportFormFields, type FormFile } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack();

const validFields = reportFormFields({
  description: 'Un trou profond devant le numéro 12',
  email: 'resident@example.org',
});

async function postReport(fields: Record<string, string>, files: FormFile[] = []) {
  const body = await multipart(fields, files);
  return stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
}

async function counts(): Promise<{ reports: number; photos: number; outbox: number; originals: number }> {
  const { rows } = await stack.pool.query<{ reports: number; photos: number; outbox: number }>(
    `SELECT (SELECT count(*)::int FROM reports) AS reports, (SELECT count(*)::int FROM photos) AS photos,
            (SELECT count(*)::int FROM outbox) AS outbox`,
  );
  const originalsDir = path.join(stack.settings.storageDir, 'originals');
  return { ...rows[0]!, originals: existsSync(originalsDir) ? readdirSync(originalsDir).length : 0 };
}

describe('POST /api/reports', () => {
  it('files a report with a photo: 201, report, photo, history and outbox rows in one go', async () => {
    const before = await counts();
    const response = await postReport(validFields, [
      { name: 'iphone.jpg', data: fixturePhoto('jpg_hdr_iphone_hdr_YES.jpg') },
    ]);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      id: expect.any(String),
      ref: expect.stringMatching(/^PAV-\d{4}-\d{6}$/),
      status: 'new',
      url: `/reports/${body.id}`,
      trackingUrl: expect.stringMatching(new RegExp(`^/r/${body.ref}\\?t=r\\.[A-Za-z0-9_-]{43}$`)),
    });
    expect(response.headers.location).toBe(`/api/reports/${body.id}`);

    const after = await counts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.photos).toBe(before.photos + 1);
    expect(after.originals).toBe(before.originals + 1);
    const { rows: outbox } = await stack.pool.query('SELECT job_name, job_id FROM outbox ORDER BY id DESC LIMIT 3');
    // Routing, the photo, and the acknowledgement mail (an e-mail was given).
    expect(outbox.map((r) => r.job_name).sort()).toEqual(['photo.process', 'report.notify', 'report.route']);
    expect(outbox.find((r) => r.job_name === 'report.route').job_id).toBe(`route-${body.id}`);
    const { rows: stored } = await stack.pool.query(
      'SELECT reporter_email, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, a.code AS area FROM reports r JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1',
      [body.id],
    );
    expect(stored[0]).toMatchObject({
      reporter_email: 'resident@example.org',
      lon: POINT_PARIS_11.lon,
      lat: POINT_PARIS_11.lat,
      area: 'paris-11',
    });
    const { rows: history } = await stack.pool.query(
      'SELECT event, to_status FROM report_history WHERE report_id = $1',
      [body.id],
    );
    expect(history).toEqual([{ event: 'created', to_status: 'new' }]);
  });

  it('files a report without photo or e-mail', async () => {
    const { email: _email, ...fields } = validFields;
    const response = await postReport({ ...fields, category: 'tag-facade' });
    expect(response.statusCode).toBe(201);
  });

  const tooLarge = Buffer.alloc(13 * 1024 * 1024, 0xff);
  const notAnImage = Buffer.from('#!/bin/sh\necho "this is a shell script, not a photo"\n'.repeat(50));
  const hugeHeaderPng = hugeDimensionPng(20_000, 20_000);

  it.each<[string, Record<string, string>, FormFile[], number, string]>([
    ['an unknown category', { ...validFields, category: 'licorne' }, [], 422, 'CATEGORY_UNKNOWN'],
    ['no category', { ...validFields, category: '' }, [], 422, 'CATEGORY_UNKNOWN'],
    ['lat missing', { category: 'nid-de-poule', lon: '2.37' }, [], 400, 'LOCATION_INVALID'],
    ['lon not a number', { ...validFields, lon: 'east' }, [], 400, 'LOCATION_INVALID'],
    ['lat out of range', { ...validFields, lat: '91' }, [], 400, 'LOCATION_INVALID'],
    ['lon out of range', { ...validFields, lon: '-180.5' }, [], 400, 'LOCATION_INVALID'],
    [
      'a point outside every town the deployment knows (Lyon)',
      { ...validFields, lat: '45.764', lon: '4.8357' },
      [],
      422,
      'LOCATION_OUTSIDE_TOWNS',
    ],
    [
      'a description over 4,000 characters',
      { ...validFields, description: 'é'.repeat(4001) },
      [],
      400,
      'DESCRIPTION_TOO_LONG',
    ],
    ['a malformed e-mail', { ...validFields, email: 'not-an-email' }, [], 400, 'EMAIL_INVALID'],
    ['an unknown field', { ...validFields, reporter_name: 'Jean' }, [], 400, 'FIELD_UNKNOWN'],
    ['a non-image named .jpg', validFields, [{ name: 'photo.jpg', data: notAnImage }], 415, 'PHOTO_NOT_AN_IMAGE'],
    ['a corrupt JPEG', validFields, [{ name: 'c.jpg', data: fixturePhoto('jpg_corrupted.jpg') }], 422, 'PHOTO_CORRUPT'],
    [
      'a HEIC photo',
      validFields,
      [{ name: 'i.heic', data: fixturePhoto('heic_mobile_iphone_13_pro_max.HEIC'), type: 'image/heic' }],
      415,
      'PHOTO_FORMAT_UNSUPPORTED',
    ],
    [
      'a 400-megapixel header (decompression bomb)',
      validFields,
      [{ name: 'bomb.png', data: hugeHeaderPng, type: 'image/png' }],
      422,
      'PHOTO_TOO_MANY_PIXELS',
    ],
    ['a file over the size limit', validFields, [{ name: 'big.jpg', data: tooLarge }], 413, 'PHOTO_TOO_LARGE'],
    [
      'more than 3 files',
      validFields,
      Array.from({ length: 4 }, (_, i) => ({ name: `${i}.jpg`, data: fixturePhoto('jpg_gps_DSCN0010.jpg') })),
      400,
      'PHOTO_TOO_MANY',
    ],
    [
      'a file in another field',
      validFields,
      [{ field: 'attachment', name: 'a.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') }],
      400,
      'FIELD_UNKNOWN',
    ],
  ])('refuses %s with a clear error and writes nothing', async (_label, fields, files, status, code) => {
    const before = await counts();
    const response = await postReport(fields, files);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code, message: expect.any(String) });
    expect(await counts()).toEqual(before);
  });

  it('refuses a body that is not multipart', async () => {
    const before = await counts();
    const response = await stack.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: { category: 'nid-de-poule', lat: 48.85, lon: 2.37 },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('MULTIPART_EXPECTED');
    expect(await counts()).toEqual(before);
  });

  it('keeps a description with markup as plain text', async () => {
    const description = '<script>alert("x")</script> & <b>gras</b>';
    const created = (await postReport({ ...validFields, description })).json();
    const read = (await stack.app.inject(`/api/reports/${created.id}`)).json();
    expect(read.description).toBe(description);
  });
});

describe('GET /api/reports/:id', () => {
  it('says a report still new but routed was sent to the team, as its timeline does', async () => {
    const created = (await postReport(validFields)).json();
    await stack.pool.query(
      `UPDATE reports SET team_id = (SELECT id FROM teams WHERE town_code = '75056' ORDER BY id LIMIT 1) WHERE id = $1`,
      [created.id],
    );
    const body = (await stack.app.inject(`/api/reports/${created.id}`)).json();
    expect(body).toMatchObject({
      status: 'new',
      statusLabel: { fr: 'Transmis à l’équipe', en: 'Sent to the team' },
      team: expect.any(String),
    });
  });

  it('returns the public view, never the e-mail', async () => {
    const created = (await postReport(validFields)).json();
    const response = await stack.app.inject(`/api/reports/${created.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      id: created.id,
      ref: created.ref,
      status: 'new',
      statusLabel: { fr: 'Reçu', en: 'Received' },
      category: { code: 'nid-de-poule', group: { code: 'voirie' } },
      location: { type: 'Point', coordinates: [POINT_PARIS_11.lon, POINT_PARIS_11.lat] },
      area: expect.stringContaining('Paris 11e'),
      team: null,
      photos: [],
    });
    expect(response.body).not.toContain('resident@example.org');
    expect(response.body).not.toMatch(/email/i);
  });

  it('shows no resident photo of a sensitive category to the public, but shows it to staff', async () => {
    const created = (
      await postReport({ ...validFields, category: 'tag-injurieux' }, [
        { name: 'iphone.jpg', data: fixturePhoto('jpg_hdr_iphone_hdr_YES.jpg') },
      ])
    ).json();
    const ordinary = (
      await postReport(validFields, [{ name: 'iphone.jpg', data: fixturePhoto('jpg_hdr_iphone_hdr_YES.jpg') }])
    ).json();

    for (const url of [`/api/reports/${created.id}`, `/api/reports/by-ref/${created.ref}`]) {
      const response = await stack.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json().photos, url).toEqual([]);
    }
    expect((await stack.app.inject(`/api/reports/${ordinary.id}`)).json().photos).toHaveLength(1);

    await createStaffUser(stack.pool, { email: 'chef@ville.test', password: 'un mot de passe long', role: 'admin' });
    const login = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'chef@ville.test', password: 'un mot de passe long' },
    });
    const cookie = login.headers['set-cookie'];
    const staffView = await stack.app.inject({
      url: `/api/staff/reports/${created.id}`,
      headers: { cookie: Array.isArray(cookie) ? cookie[0] : cookie },
    });
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().photos).toHaveLength(1);
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"])(
    'answers 404 REPORT_NOT_FOUND for %j',
    async (id) => {
      const response = await stack.app.inject(`/api/reports/${encodeURIComponent(id)}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('REPORT_NOT_FOUND');
    },
  );
});

/** A PNG whose header claims huge dimensions, with no real pixel data behind it. */
function hugeDimensionPng(width: number, height: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type RGB
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.alloc(16)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('public references', () => {
  it('keep growing past the millionth report of a year instead of repeating', async () => {
    await stack.pool.query(`SELECT setval('report_ref_seq', 999999)`);
    const refs = [];
    for (let i = 0; i < 2; i += 1) refs.push((await postReport({ ...validFields, email: '' })).json().ref as string);
    expect(refs.map((r) => r.split('-')[2])).toEqual(['1000000', '1000001']);
  });
});

describe('a PNG with a huge text chunk', () => {
  it('is refused before it is stored', async () => {
    const before = await counts();
    const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    // Insert a 5 MB tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR chunk).
    const text = Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(5 * 1024 * 1024, 0x41)]);
    const png = Buffer.concat([small.subarray(0, 33), pngChunk('tEXt', text), small.subarray(33)]);
    expect((await sharp(png).metadata()).width).toBe(64);
    const response = await postReport(validFields, [{ name: 'big-text.png', data: png, type: 'image/png' }]);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('PHOTO_METADATA_TOO_LARGE');
    expect(await counts()).toEqual(before);
  });

  it('still accepts real phone photos with their EXIF', async () => {
    const response = await postReport(validFields, [{ name: 'nokia.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') }]);
    expect(response.statusCode).toBe(201);
  });
});
