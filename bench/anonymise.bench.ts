// Issue 17 benchmark: face blurring. Detection against the labelled set of bench/fixtures/faces (faces
// found / faces present, false blurs), then the time per 1600 px rendition with and without detection.
// Needs no database or queue: it times the photo job's render (`renderRenditions`), which is where
// detection sits; storage writes and the row update are the same with and without it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFaces, FACE_MIN_CONFIDENCE, renderRenditions, warmUpFaceDetector, type DetectedFace } from '@pave/core';
import sharp from 'sharp';
import { buildFaceGrid, FACES_DIR, readFaceLabels, readFacePhoto, type LabelBox } from '../tests/worker/photo-faces';
import { measurePair, report } from './lib';

const here = path.dirname(fileURLToPath(import.meta.url));
/** A detection counts as a face's when they overlap this much (intersection over union). */
const MATCH_IOU = 0.3;

function iou([ax, ay, aw, ah]: LabelBox, b: DetectedFace): number {
  const w = Math.min(ax + aw, b.x + b.width) - Math.max(ax, b.x);
  const h = Math.min(ay + ah, b.y + b.height) - Math.max(ay, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (aw * ah + b.width * b.height - w * h);
}

/** Faces matched (each detection used once) and detections matching no face (false blurs). */
function score(faces: LabelBox[], found: DetectedFace[]) {
  const unused = [...found];
  let matched = 0;
  for (const face of faces) {
    const best = unused.reduce<{ i: number; iou: number }>(
      (acc, d, i) => (iou(face, d) > acc.iou ? { i, iou: iou(face, d) } : acc),
      { i: -1, iou: MATCH_IOU },
    );
    if (best.i >= 0) {
      matched += 1;
      unused.splice(best.i, 1);
    }
  }
  return { matched, falseBlurs: unused.length };
}

/**
 * Street scenes with small faces: a labelled group photo shrunk to `scale` and pasted into a real
 * street photo without faces, so its faces are 25–60 px high in a 1600 px image, as passers-by are.
 */
async function smallFacesScene(group: string, street: string, scale: number, at: { x: number; y: number }) {
  const streetPhoto = await sharp(readFacePhoto(street)).rotate().toBuffer();
  const { width, height } = await sharp(streetPhoto).metadata();
  const groupPhoto = readFacePhoto(group);
  const g = await sharp(groupPhoto).metadata();
  const w = Math.round(width! * scale);
  const h = Math.round((g.height! / g.width!) * w);
  const left = Math.round(at.x * (width! - w));
  const top = Math.round(at.y * (height! - h));
  const image = await sharp(streetPhoto)
    .composite([{ input: await sharp(groupPhoto).resize(w, h).toBuffer(), left, top }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const faces = readFaceLabels()[group]!.map(([x, y, fw, fh]): LabelBox => [
    (left + x * w) / width!,
    (top + y * h) / height!,
    (fw * w) / width!,
    (fh * h) / height!,
  ]);
  return { image, faces };
}

export async function run(): Promise<void> {
  const labels = readFaceLabels();
  const set: { name: string; image: Buffer; faces: LabelBox[] }[] = Object.entries(labels).map(([name, faces]) => ({
    name: path.basename(name),
    image: readFacePhoto(name),
    faces,
  }));
  for (const [group, street, scale, at] of [
    ['face-api-sample5.jpg', 'street-nokia.jpg', 0.35, { x: 0.3, y: 0.9 }],
    ['face-api-sample1.jpg', '../../../tests/fixtures/photos/jpg_gps_DSCN0010.jpg', 0.3, { x: 0.7, y: 0.8 }],
    ['face-api-sample6.jpg', 'street-jolla.jpg', 0.25, { x: 0.1, y: 0.5 }],
  ] as const) {
    const scene = await smallFacesScene(group, street, scale, at);
    set.push({ name: `${group} at ${scale * 100}% in ${path.basename(street)}`, ...scene });
  }

  console.log(
    `detector: SSD MobileNet v1 (@vladmandic/face-api's weights on ONNX Runtime), min confidence ${FACE_MIN_CONFIDENCE}`,
  );
  const loadStart = performance.now();
  await warmUpFaceDetector();
  console.log(`model load (once per worker process): ${(performance.now() - loadStart).toFixed(0)} ms`);
  let present = 0;
  let found = 0;
  let falseBlurs = 0;
  let falseInFaceless = 0;
  let faceless = 0;
  for (const photo of set) {
    const start = performance.now();
    const { faces } = await renderRenditions(photo.image, { detect: detectFaces });
    const took = performance.now() - start;
    const s = score(photo.faces, faces);
    present += photo.faces.length;
    found += s.matched;
    falseBlurs += s.falseBlurs;
    if (photo.faces.length === 0) {
      faceless += 1;
      falseInFaceless += s.falseBlurs;
    }
    console.log(
      `  ${photo.name}: ${s.matched}/${photo.faces.length} faces found, ${s.falseBlurs} false blurs (${took.toFixed(0)} ms)`,
    );
  }
  console.log(
    `faces found / present: ${found}/${present} (${((100 * found) / present).toFixed(0)} %); false blurs: ${falseBlurs} ` +
      `(${falseInFaceless} in the ${faceless} photos without faces)`,
  );

  // Time per rendition: a 12 MP phone photo (the iPhone fixture upscaled, as in resident.bench.ts) and
  // a 1600 px photo of three people; baseline: the same render without detection, alternated (ABBA).
  const iphone = readFileSync(path.join(here, '../tests/fixtures/photos/jpg_hdr_iphone_hdr_YES.jpg'));
  const twelveMp = await sharp(iphone)
    .resize(4000, 3000, { fit: 'fill' })
    .withMetadata()
    .jpeg({ quality: 92 })
    .toBuffer();
  const iterations = Number(process.env.BENCH_ANONYMISE_ITERATIONS ?? 8);
  for (const [name, photo] of [
    ['12 MP phone photo', twelveMp],
    ['1600 px photo, 3 faces', readFacePhoto('face-api-sample1.jpg')],
  ] as const) {
    const pair = await measurePair(
      () => renderRenditions(photo, { detect: detectFaces }),
      () => renderRenditions(photo),
      { iterations, warmup: 1 },
    );
    report(`photo job render with face blurring, ${name}`, pair.subject, pair.baseline);
  }

  const grid = await buildFaceGrid(30);
  const gridStart = performance.now();
  const { faces } = await renderRenditions(grid.image, { detect: detectFaces });
  const gridTook = performance.now() - gridStart;
  const s = score(grid.faces, faces);
  console.log(
    `30-face grid (${grid.width}×${grid.height}): ${s.matched}/30 found, ${s.falseBlurs} other boxes, ${gridTook.toFixed(0)} ms`,
  );
  console.log(`(labelled set: ${FACES_DIR}, sources and licences in its README.md)`);
}
