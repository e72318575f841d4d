import { readImageMetadata } from '@pave/core';
import type { PhotoBlur, PublicPhoto } from '@pave/shared';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fileRoutedReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({
  worker: true,
  staff: {
    crew11: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' },
    crew15: { role: 'crew', teamCode: 'voirie-15', displayName: 'Inès Quinze' },
    supervisor: { role: 'supervisor', service: 'voirie' },
    council: { role: 'council' },
    admin: { role: 'admin' },
  },
});
type Who = 'anonymous' | keyof typeof stack.staff;
/** Each test waits for the worker (a face detector runs on every photo): a minute and a half on a busy machine. */
const PHOTO_TEST_MS = 90_000;

/** A pothole in the 11th (routed to voirie-11) with one photo, once its renditions exist. */
async function reportWithReadyPhoto() {
  const report = await fileRoutedReport(stack.deps, { photos: ['jpg_gps_DSCN0010.jpg'] });
  const photo = await waitFor(
    async () => {
      const answer = await stack.app.inject({ method: 'GET', url: `/api/reports/${report.id}` });
      const [first] = answer.json<{ photos: PublicPhoto[] }>().photos;
      return first?.status === 'ready' ? first : null;
    },
    { what: 'the photo’s renditions', timeoutMs: 60_000 },
  );
  return { reportId: report.id, photo };
}

const putBoxes = (photoId: string, body: unknown, who: Who = 'crew11') =>
  stack.app.inject({
    method: 'PUT',
    url: `/api/staff/photos/${photoId}/blur`,
    headers: stack.as(who),
    payload: body as object,
  });
const getBlur = (photoId: string, who: Who = 'crew11') =>
  stack.app.inject({ method: 'GET', url: `/api/staff/photos/${photoId}/blur`, headers: stack.as(who) });

/** Detail (Laplacian sharpness) of a region given in fractions of the image. */
async function sharpness(image: Buffer, box: { x: number; y: number; width: number; height: number }) {
  const { width, height } = await sharp(image).metadata();
  const region = {
    left: Math.round(box.x * width!),
    top: Math.round(box.y * height!),
    width: Math.round(box.width * width!),
    height: Math.round(box.height * height!),
  };
  const pixels = await sharp(image).extract(region).greyscale().png().toBuffer();
  return (await sharp(pixels).stats()).sharpness;
}

describe('PUT /api/staff/photos/:id/blur', () => {
  it(
    'blurs the boxes a crew draws in new public renditions, and keeps the change in the history',
    async () => {
      const { reportId, photo } = await reportWithReadyPhoto();
      const first = await getBlur(photo.id);
      expect(first.statusCode).toBe(200);
      expect(first.json<PhotoBlur>()).toEqual({
        photoId: photo.id,
        reportId,
        status: 'ready',
        boxes: [],
        detectedFaces: 0,
        isRendered: true,
        largeUrl: photo.urls!.large,
      });

      // A number plate, say: the houses at the top left of the landscape (full of detail).
      const plate = { x: 0.05, y: 0.05, width: 0.3, height: 0.2 };
      const before = (await stack.app.inject({ method: 'GET', url: photo.urls!.large })).rawPayload;
      const saved = await putBoxes(photo.id, { boxes: [plate] });
      expect(saved.statusCode).toBe(200);
      expect(saved.json<PhotoBlur>()).toMatchObject({ boxes: [plate], isRendered: false });

      const rendered = await waitFor(
        async () => {
          const blur = (await getBlur(photo.id)).json<PhotoBlur>();
          return blur.isRendered ? blur : null;
        },
        { what: 'the new renditions', timeoutMs: 60_000 },
      );
      // A new URL: the old one is cached as immutable for a year and would keep showing the plate.
      expect(rendered.largeUrl).toBe(`/media/photos/${photo.id}/r1/large.jpg`);
      const report = await stack.app.inject({ method: 'GET', url: `/api/reports/${reportId}` });
      expect(report.json<{ photos: PublicPhoto[] }>().photos[0]!.urls).toEqual({
        large: `/media/photos/${photo.id}/r1/large.jpg`,
        thumb: `/media/photos/${photo.id}/r1/thumb.jpg`,
      });
      const after = (await stack.app.inject({ method: 'GET', url: rendered.largeUrl! })).rawPayload;
      expect((await sharpness(after, plate)) / (await sharpness(before, plate))).toBeLessThan(0.45);
      // Outside the box, the photo is as it was.
      const elsewhere = { x: 0.5, y: 0.6, width: 0.4, height: 0.3 };
      expect((await sharpness(after, elsewhere)) / (await sharpness(before, elsewhere))).toBeGreaterThan(0.8);
      for (const url of Object.values(report.json<{ photos: PublicPhoto[] }>().photos[0]!.urls!)) {
        const meta = await readImageMetadata((await stack.app.inject({ method: 'GET', url })).rawPayload);
        expect(meta.exif).toBeUndefined();
      }
      // Older links (Open311, mails) name revision 0's keys: they show the blurred photo too.
      const oldLink = (await stack.app.inject({ method: 'GET', url: photo.urls!.large })).rawPayload;
      expect(oldLink.equals(after)).toBe(true);

      const { rows } = await stack.pool.query(
        `SELECT actor, event, is_public, data FROM report_history WHERE report_id = $1 AND event = 'photo_blur'`,
        [reportId],
      );
      expect(rows).toEqual([
        {
          actor: `staff:${stack.staff.crew11.id}`,
          event: 'photo_blur',
          is_public: false,
          data: { photoId: photo.id, boxes: 1, previousBoxes: 0, revision: 1 },
        },
      ]);

      // Removing every box renders again (revision 2) and drops revision 1's files.
      expect((await putBoxes(photo.id, { boxes: [] }, 'supervisor')).statusCode).toBe(200);
      await waitFor(async () => (await getBlur(photo.id)).json<PhotoBlur>().largeUrl?.includes('/r2/'), {
        what: 'revision 2',
        timeoutMs: 60_000,
      });
      await waitFor(async () => !(await stack.deps.storage.exists(`public/photos/${photo.id}/r1/large.jpg`)), {
        what: 'revision 1 deleted',
      });
    },
    PHOTO_TEST_MS,
  );

  it(
    'refuses a box outside the photo or of no size with 400 BLUR_BOX_INVALID',
    async () => {
      const { photo } = await reportWithReadyPhoto();
      const cases = [
        { x: 0.9, y: 0.1, width: 0.2, height: 0.1 },
        { x: 0.1, y: 0.5, width: 0.1, height: 0.6 },
        { x: -0.1, y: 0.1, width: 0.2, height: 0.2 },
        { x: 1.2, y: 0.1, width: 0.1, height: 0.1 },
        { x: 0.1, y: 0.1, width: 0, height: 0.2 },
        { x: 0.1, y: 0.1, width: 0.2, height: -0.1 },
      ];
      for (const box of cases) {
        const answer = await putBoxes(photo.id, { boxes: [{ x: 0.1, y: 0.1, width: 0.1, height: 0.1 }, box] });
        expect(answer.statusCode, JSON.stringify(box)).toBe(400);
        expect(answer.json()).toEqual({ code: 'BLUR_BOX_INVALID', message: expect.stringMatching(/^Box 2/) });
      }
      for (const body of [
        { boxes: [{ x: 0.1, y: 0.1, width: 0.1 }] },
        { boxes: Array.from({ length: 51 }, () => ({ x: 0.1, y: 0.1, width: 0.1, height: 0.1 })) },
        { boxes: 'all' },
        {},
      ]) {
        const answer = await putBoxes(photo.id, body);
        expect(answer.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
      }
      // Nothing was stored, nothing queued.
      expect((await getBlur(photo.id)).json<PhotoBlur>()).toMatchObject({ boxes: [], isRendered: true });
    },
    PHOTO_TEST_MS,
  );

  it(
    'is for crews, supervisors and admins of the report’s queues: 401 signed out, 403 for the council, 404 elsewhere',
    async () => {
      const { photo } = await reportWithReadyPhoto();
      const box = { boxes: [{ x: 0.1, y: 0.1, width: 0.1, height: 0.1 }] };
      const anonymous = await putBoxes(photo.id, box, 'anonymous');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      expect((await getBlur(photo.id, 'anonymous')).statusCode).toBe(401);
      for (const who of ['council'] as const) {
        const answer = await putBoxes(photo.id, box, who);
        expect(answer.statusCode).toBe(403);
        expect(answer.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String) });
        expect((await getBlur(photo.id, who)).statusCode).toBe(403);
      }
      // Another team's crew does not learn the photo exists.
      const outside = await putBoxes(photo.id, box, 'crew15');
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      for (const id of [crypto.randomUUID(), 'not-a-uuid']) {
        const answer = await putBoxes(id, box);
        expect(answer.statusCode).toBe(404);
        expect(answer.json()).toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      }
      expect((await putBoxes(photo.id, box, 'admin')).statusCode).toBe(200);
    },
    PHOTO_TEST_MS,
  );
});
