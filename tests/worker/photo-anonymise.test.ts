import {
  createLogger,
  createReport,
  originalKey,
  privateOriginalKey,
  processPhoto,
  purgeExpiredOriginals,
  readImageMetadata,
} from '@pave/core';
import type { PublicPhoto } from '@pave/shared';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixturePhoto, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';
import { buildFaceGrid, readFaceLabels, readFacePhoto, regionSharpness, type LabelBox } from './photo-faces';

const logger = createLogger({ level: 'silent', name: 'test' });
const stack = useStack({ worker: { logger }, queue: true });

/**
 * A blurred region keeps under this share of its detail (sharp's Laplacian sharpness). Measured on
 * the faces below: 0.10–0.31 once blurred, 1.0 for a face left as it was.
 */
const BLURRED = 0.45;

/**
 * The 30-face photo's job must end inside the job's lock (WORKER_LOCK_MS, 30 s) even if the lock were
 * never renewed: past it BullMQ could count the job as stalled and run it twice. Measured on this
 * shared 2-core machine (five detection passes over a 1560×1300 image): on TensorFlow.js' WebAssembly
 * backend 2.1–3.4 s with other suites idle, 16.1 s at a load average of 14; on ONNX Runtime (ADR 0014)
 * 0.66 s idle. 25 s keeps 5 s of the lock in hand at the worst load measured.
 */
const THIRTY_FACES_BOUND_MS = 25_000;
/** A test files a photo and waits for the worker: a minute covers the busiest runs measured (45 s). */
const PHOTO_TEST_MS = 90_000;

/** A phone photo with people in it: the labelled faces of sample 1 over an iPhone photo whose EXIF (GPS) is kept. */
async function phonePhotoWithFaces(): Promise<{ data: Buffer; faces: LabelBox[] }> {
  const phone = fixturePhoto('jpg_hdr_iphone_hdr_YES.jpg');
  const { width, height } = await sharp(phone).metadata();
  const people = await sharp(readFacePhoto('face-api-sample1.jpg')).resize(width, height, { fit: 'fill' }).toBuffer();
  const data = await sharp(phone)
    .composite([{ input: people }])
    .keepMetadata()
    .jpeg({ quality: 90 })
    .toBuffer();
  return { data, faces: readFaceLabels()['face-api-sample1.jpg']! };
}

async function fileWithPhoto(data: Buffer) {
  const report = await createReport(stack.deps, {
    category: 'nid-de-poule',
    lat: String(POINT_PARIS_11.lat),
    lon: String(POINT_PARIS_11.lon),
    description: 'Nid-de-poule devant le café, des passants sur la photo',
    email: 'private@example.org',
    photos: [{ data, filename: 'rue.jpg' }],
  });
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

async function fetchPublic(url: string): Promise<Buffer> {
  const answer = await stack.app.inject({ method: 'GET', url });
  expect(answer.statusCode).toBe(200);
  return answer.rawPayload;
}

describe('photo.process blurs faces', () => {
  it(
    'publishes a phone photo with every face blurred and no metadata, and keeps its original private',
    async () => {
      const { data, faces } = await phonePhotoWithFaces();
      expect((await readImageMetadata(data)).exif).toBeDefined();
      const { reportId, photo } = await fileWithPhoto(data);
      const publicReport = await stack.app.inject({ method: 'GET', url: `/api/reports/${reportId}` });
      expect(publicReport.body).not.toMatch(/private|originals|private@example/);

      const upright = await sharp(data).rotate().toBuffer();
      for (const url of Object.values(photo.urls!)) {
        const rendition = await fetchPublic(url);
        const meta = await readImageMetadata(rendition);
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(meta.iptc).toBeUndefined();
        // Same scale on both sides: the original's region is shrunk to the rendition's size first.
        const before = await sharp(upright).resize(meta.width, meta.height, { fit: 'fill' }).jpeg().toBuffer();
        for (const face of faces) {
          const ratio = (await regionSharpness(rendition, face)) / (await regionSharpness(before, face));
          expect(ratio, `${url}: face at ${face.join(',')}`).toBeLessThan(BLURRED);
        }
      }
      // Away from the faces the photo is untouched: the pothole must still be seen.
      const large = await fetchPublic(photo.urls!.large);
      const corner: LabelBox = [0.02, 0.7, 0.15, 0.25];
      const plain = await sharp(upright).resize(1600, 1200, { fit: 'fill' }).jpeg().toBuffer();
      expect((await regionSharpness(large, corner)) / (await regionSharpness(plain, corner))).toBeGreaterThan(0.7);

      const { rows } = await stack.pool.query(
        'SELECT detected_faces, original_delete_after, original_deleted_at FROM photos WHERE id = $1',
        [photo.id],
      );
      expect(rows[0].detected_faces).toHaveLength(faces.length);
      expect(rows[0].original_deleted_at).toBeNull();
      expect(rows[0].original_delete_after.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

      // The upload with its EXIF is gone; the private original is kept, full size and unblurred, without metadata…
      await waitFor(async () => !(await stack.deps.storage.exists(originalKey(photo.id))), {
        what: 'the upload deleted',
      });
      const kept = await stack.deps.storage.get(privateOriginalKey(photo.id));
      const keptMeta = await readImageMetadata(kept);
      expect([keptMeta.width, keptMeta.height]).toEqual([3264, 2448]);
      expect(keptMeta.exif).toBeUndefined();
      // …and no public URL reaches it, however the path is spelled.
      for (const url of [
        `/media/../private/photos/${photo.id}/original.jpg`,
        `/media/%2e%2e/private/photos/${photo.id}/original.jpg`,
        `/media/..%2fprivate%2fphotos%2f${photo.id}%2foriginal.jpg`,
        `/media/photos/${photo.id}/../../private/photos/${photo.id}/original.jpg`,
        `/media/private/photos/${photo.id}/original.jpg`,
        `/private/photos/${photo.id}/original.jpg`,
      ]) {
        const answer = await stack.app.inject({ method: 'GET', url });
        expect(answer.statusCode, url).toBe(404);
      }
    },
    PHOTO_TEST_MS,
  );

  it(
    `blurs all 30 faces of a crowd within ${THIRTY_FACES_BOUND_MS / 1000} s`,
    async () => {
      const grid = await buildFaceGrid(30);
      const { photo } = await fileWithPhoto(grid.image);
      // The photo is ready in the database a moment before BullMQ records the job as finished.
      const job = await waitFor(
        async () => {
          const found = await stack.queue.getJob(`photo-${photo.id}`);
          return found?.finishedOn ? found : null;
        },
        { what: 'the photo job recorded as finished' },
      );
      const took = job.finishedOn! - job.processedOn!;
      expect(took).toBeLessThan(THIRTY_FACES_BOUND_MS);

      const large = await fetchPublic(photo.urls!.large);
      expect((await sharp(large).metadata()).width).toBe(grid.width);
      const ratios = await Promise.all(
        grid.faces.map(
          async (face) => (await regionSharpness(large, face)) / (await regionSharpness(grid.image, face)),
        ),
      );
      expect(
        ratios.filter((r) => r >= BLURRED),
        `sharpness ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
      ).toEqual([]);
      const thumb = await fetchPublic(photo.urls!.thumb);
      const smallGrid = await sharp(grid.image).resize(400).jpeg().toBuffer();
      for (const face of grid.faces) {
        expect((await regionSharpness(thumb, face)) / (await regionSharpness(smallGrid, face))).toBeLessThan(BLURRED);
      }
    },
    PHOTO_TEST_MS,
  );

  it(
    'deletes the private original when its retention ends, and still blurs new boxes from the rendition',
    async () => {
      const { data } = await phonePhotoWithFaces();
      const { photo } = await fileWithPhoto(data);
      await stack.pool.query(`UPDATE photos SET original_delete_after = now() - interval '1 minute' WHERE id = $1`, [
        photo.id,
      ]);
      expect(await purgeExpiredOriginals(stack.deps)).toBe(1);
      expect(await stack.deps.storage.exists(privateOriginalKey(photo.id))).toBe(false);
      expect(await purgeExpiredOriginals(stack.deps)).toBe(0);

      // A box drawn afterwards (bottom left, away from the faces) is blurred on the large rendition.
      const box = { x: 0.02, y: 0.7, width: 0.15, height: 0.25 };
      await stack.pool.query(
        `UPDATE photos SET blur_boxes = $2::jsonb, render_revision = render_revision + 1 WHERE id = $1`,
        [photo.id, JSON.stringify([box])],
      );
      const before = await fetchPublic(photo.urls!.large);
      expect(await processPhoto({ ...stack.deps, logger }, photo.id)).toBe('processed');
      const { rows } = await stack.pool.query('SELECT rendered_revision FROM photos WHERE id = $1', [photo.id]);
      expect(rows[0].rendered_revision).toBe(1);
      const after = await stack.deps.storage.get(`public/photos/${photo.id}/r1/large.jpg`);
      const region: LabelBox = [box.x, box.y, box.width, box.height];
      expect((await regionSharpness(after, region)) / (await regionSharpness(before, region))).toBeLessThan(BLURRED);
      expect((await readImageMetadata(after)).exif).toBeUndefined();
    },
    PHOTO_TEST_MS,
  );
});
