import { originalKey, privateOriginalKey } from '@pave/core';
import type { PublicPhoto } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * A report's photo from the form to the public page, on each storage backend: the worker writes its
 * renditions, the API serves them at /media/ with the same headers (the disk's through the static file
 * server, the bucket's streamed by routes/media.ts), and the upload, with its EXIF block, is gone.
 */
describe.each(['local', 's3'] as const)('photos on the %s backend', (storage) => {
  const stack = useStack({ storage, worker: true });

  async function fileReportWithReadyPhoto() {
    const report = await fileReport(stack.deps, { photos: ['jpg_gps_DSCN0010.jpg'], description: 'photo' });
    const photo = await waitFor(
      async () => {
        const answer = await stack.app.inject({ method: 'GET', url: `/api/reports/${report.id}` });
        const [first] = answer.json<{ photos: PublicPhoto[] }>().photos;
        return first?.status === 'ready' ? first : null;
      },
      { what: 'the photo’s renditions', timeoutMs: 20_000 },
    );
    // The worker deletes the upload just after marking the photo ready.
    await waitFor(async () => !(await stack.deps.storage.exists(originalKey(photo.id))), {
      what: 'the upload’s deletion',
    });
    return { ...photo, reportId: report.id };
  }

  it('serves the renditions as immutable JPEGs that any site may embed, and keeps no upload', async () => {
    const photo = await fileReportWithReadyPhoto();
    expect(photo.urls).toEqual({
      large: `/media/photos/${photo.id}/large.jpg`,
      thumb: `/media/photos/${photo.id}/thumb.jpg`,
    });
    for (const url of Object.values(photo.urls!)) {
      const answer = await stack.app.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toBe('image/jpeg');
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(Number(answer.headers['content-length'])).toBe(answer.rawPayload.length);
      expect(answer.rawPayload.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      const stored = await stack.deps.storage.get(`public/${url.slice('/media/'.length)}`);
      expect(answer.rawPayload.equals(stored)).toBe(true);

      const again = await stack.app.inject({
        method: 'GET',
        url,
        headers: { 'if-none-match': String(answer.headers.etag) },
      });
      expect(again.statusCode).toBe(304);

      const head = await stack.app.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-type']).toBe('image/jpeg');
      expect(head.rawPayload.length).toBe(0);
    }
    if (storage === 's3') {
      // The private original (no metadata, kept for staff blur boxes) sits outside public/.
      expect(await stack.bucket.keys()).toEqual(
        [
          privateOriginalKey(photo.id),
          `public/photos/${photo.id}/large.jpg`,
          `public/photos/${photo.id}/thumb.jpg`,
        ].sort(),
      );
    }
  });

  it('points photo URLs at MEDIA_PUBLIC_BASE_URL, and lets pages load images from there', async () => {
    const photo = await fileReportWithReadyPhoto();
    const app = await stack.buildApp({ MEDIA_PUBLIC_BASE_URL: 'https://cdn.example.fr/pave' });
    const answer = await app.inject({ method: 'GET', url: `/api/reports/${photo.reportId}` });
    expect(answer.json<{ photos: PublicPhoto[] }>().photos[0]!.urls).toEqual({
      large: `https://cdn.example.fr/pave/photos/${photo.id}/large.jpg`,
      thumb: `https://cdn.example.fr/pave/photos/${photo.id}/thumb.jpg`,
    });
    expect(answer.headers['content-security-policy']).toMatch(/img-src [^;]*https:\/\/cdn\.example\.fr/);
    // Open311 clients get the CDN's URL as it is, not glued behind PUBLIC_BASE_URL.
    const open311 = await app.inject({ method: 'GET', url: `/open311/v2/requests/${photo.reportId}.json` });
    expect(open311.json<{ media_url: string }[]>()[0]!.media_url).toBe(
      `https://cdn.example.fr/pave/photos/${photo.id}/large.jpg`,
    );
  });

  it('answers 404 for a rendition that does not exist, and never serves what lies outside public/', async () => {
    const missing = await stack.app.inject({ method: 'GET', url: `/media/photos/${crypto.randomUUID()}/large.jpg` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });

    // An upload that is still there (a photo not yet processed) under its usual key.
    const id = crypto.randomUUID();
    await stack.deps.storage.put(originalKey(id), Buffer.from('private EXIF'));
    for (const url of [
      `/media/../originals/${id}`,
      `/media/%2e%2e/originals/${id}`,
      `/media/..%2foriginals%2f${id}`,
      `/media/photos/..%2f..%2foriginals/${id}`,
      `/media/%2Foriginals/${id}`,
      '/media/',
    ]) {
      const answer = await stack.app.inject({ method: 'GET', url });
      // The static file server answers 403 for its own folder (`/media/`), which it does not list.
      expect([403, 404], url).toContain(answer.statusCode);
      expect(answer.body).not.toContain('private EXIF');
    }
    await stack.deps.storage.delete(originalKey(id));
  });
});
