// Photos with faces for the anonymisation tests and bench: the labelled set of bench/fixtures/faces
// (sources and licences in its README.md), and a grid built from its faces.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const FACES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bench/fixtures/faces');

/** A box in fractions (0..1) of an image: x, y, width, height. */
export type LabelBox = [number, number, number, number];

/** Each photo of the labelled set (path relative to FACES_DIR) and the faces present in it. */
export function readFaceLabels(): Record<string, LabelBox[]> {
  return (
    JSON.parse(readFileSync(path.join(FACES_DIR, 'labels.json'), 'utf8')) as { photos: Record<string, LabelBox[]> }
  ).photos;
}

export function readFacePhoto(name: string): Buffer {
  return readFileSync(path.join(FACES_DIR, name));
}

/** A face's box in pixels of a `width`×`height` image. */
export function toPixelBox([x, y, w, h]: LabelBox, width: number, height: number) {
  const left = Math.round(x * width);
  const top = Math.round(y * height);
  return { left, top, width: Math.round(w * width), height: Math.round(h * height) };
}

export interface FaceGrid {
  image: Buffer;
  width: number;
  height: number;
  /** Where each face is, in fractions of the grid image. */
  faces: LabelBox[];
}

/**
 * `count` faces cropped from the labelled photos (head and shoulders around each labelled face),
 * tiled in rows of `columns` cells of `cell` pixels, as one JPEG: a crowd whose every face position
 * is known. Faces are reused in turn, every other round mirrored, when there are fewer than `count`.
 */
export async function buildFaceGrid(count: number, { columns = 6, cell = 260 } = {}): Promise<FaceGrid> {
  const labels = readFaceLabels();
  const crops: { input: Buffer; face: LabelBox }[] = [];
  for (const [name, boxes] of Object.entries(labels)) {
    if (boxes.length === 0) continue;
    const photo = readFacePhoto(name);
    const { width, height } = await sharp(photo).metadata();
    for (const box of boxes) {
      const face = toPixelBox(box, width!, height!);
      // A square twice the face's height, centred on it: the detector sees a head, not a cut-out.
      const side = Math.min(width!, height!, Math.round(face.height * 2));
      const left = Math.max(0, Math.min(width! - side, Math.round(face.left + face.width / 2 - side / 2)));
      const top = Math.max(0, Math.min(height! - side, Math.round(face.top + face.height / 2 - side / 2)));
      const scale = cell / side;
      const input = await sharp(photo).extract({ left, top, width: side, height: side }).resize(cell, cell).toBuffer();
      crops.push({
        input,
        face: [
          ((face.left - left) * scale) / cell,
          ((face.top - top) * scale) / cell,
          (face.width * scale) / cell,
          (face.height * scale) / cell,
        ],
      });
    }
  }
  const rows = Math.ceil(count / columns);
  const width = columns * cell;
  const height = rows * cell;
  const tiles = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const crop = crops[i % crops.length]!;
      const isMirrored = Math.floor(i / crops.length) % 2 === 1;
      const input = isMirrored ? await sharp(crop.input).flop().toBuffer() : crop.input;
      const [fx, fy, fw, fh] = crop.face;
      const left = (i % columns) * cell;
      const top = Math.floor(i / columns) * cell;
      const face: LabelBox = [
        (left + (isMirrored ? 1 - fx - fw : fx) * cell) / width,
        (top + fy * cell) / height,
        (fw * cell) / width,
        (fh * cell) / height,
      ];
      return { input, left, top, face };
    }),
  );
  const image = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .composite(tiles.map(({ input, left, top }) => ({ input, left, top })))
    .jpeg({ quality: 90 })
    .toBuffer();
  return { image, width, height, faces: tiles.map((t) => t.face) };
}

/** How much detail a region holds: sharp's Laplacian-based sharpness estimate of its pixels. */
export async function regionSharpness(image: Buffer, box: LabelBox): Promise<number> {
  const { width, height } = await sharp(image).metadata();
  const region = toPixelBox(box, width!, height!);
  // Cut out first: stats() reads its input, not the output of operations chained before it.
  const pixels = await sharp(image).extract(region).greyscale().png().toBuffer();
  return (await sharp(pixels).stats()).sharpness;
}
