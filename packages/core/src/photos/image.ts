// The one module that imports sharp: every decode goes through these limits.
import sharp from 'sharp';
import { AppError, PHOTO_LIMITS, PHOTO_RENDITIONS, type PhotoRendition } from '@pave/shared';

export interface ImageInfo {
  mimeType: (typeof PHOTO_LIMITS.acceptedMimeTypes)[number];
  width: number;
  height: number;
}

const MIME_BY_FORMAT: Record<string, ImageInfo['mimeType']> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** Room for EXIF, ICC profiles and thumbnails that phones embed (an iPhone HEIC-to-JPEG carries ~60 KB). */
const MAX_NON_PIXEL_BYTES = 1024 * 1024;

// libvips caches decoded images; a worker processing many photos gains nothing from it.
sharp.cache(false);

function open(data: Buffer): sharp.Sharp {
  return sharp(data, { limitInputPixels: PHOTO_LIMITS.maxInputPixels, failOn: 'truncated' });
}

/**
 * Checks an upload before it is accepted: a supported format, dimensions under the pixel cap
 * (read from the header, before any pixel is decoded) and pixel data that decodes to the end.
 */
export async function inspectImage(data: Buffer): Promise<ImageInfo> {
  let metadata: sharp.Metadata;
  try {
    // Header only: no pixel is decoded here, so the pixel cap is applied by hand just below.
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('PHOTO_NOT_AN_IMAGE', 'The file is not an image we can read (JPEG, PNG or WebP).');
  }
  const mimeType = metadata.format ? MIME_BY_FORMAT[metadata.format] : undefined;
  if (!mimeType) {
    const isHeic = metadata.format === 'heif';
    throw new AppError(
      'PHOTO_FORMAT_UNSUPPORTED',
      isHeic
        ? 'HEIC photos are not supported yet: set the camera to "Most compatible" (JPEG) or share the photo as JPEG.'
        : `Unsupported image format ${metadata.format ?? 'unknown'}: send JPEG, PNG or WebP.`,
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > PHOTO_LIMITS.maxInputPixels) {
    throw new AppError(
      'PHOTO_TOO_MANY_PIXELS',
      `The image is ${Math.round((width * height) / 1e6)} megapixels; the limit is ${PHOTO_LIMITS.maxInputPixels / 1e6}.`,
    );
  }
  // A photo's bytes are mostly pixels. A file far larger than its pixels could ever need carries
  // something else (a huge PNG text chunk, an appended archive): refuse it rather than store it.
  const rawPixelBytes = width * height * (metadata.channels ?? 4) * ((metadata.depth ?? 'uchar') === 'ushort' ? 2 : 1);
  if (data.length > rawPixelBytes + MAX_NON_PIXEL_BYTES) {
    throw new AppError(
      'PHOTO_METADATA_TOO_LARGE',
      'The file carries much more than an image (metadata or hidden data).',
    );
  }
  try {
    // JPEG shrink-on-load makes this a cheap full pass (tens of ms for 12 MP) that still reads every scan.
    await open(data).resize(64, 64, { fit: 'inside' }).toBuffer();
  } catch {
    throw new AppError('PHOTO_CORRUPT', 'The image is damaged or incomplete and cannot be decoded.');
  }
  return { mimeType, width, height };
}

export interface Rendition {
  name: PhotoRendition;
  data: Buffer;
  width: number;
  height: number;
}

/**
 * JPEG settings per rendition. mozjpeg makes files ~20% smaller but encodes 3–4× slower: worth it for
 * thumbnails (tiny, shown by the hundred on maps and lists), not for the large view (measured: 12 MP
 * input, both renditions 250 ms without mozjpeg vs 900 ms with it, on this 2-core machine).
 */
export const RENDITION_JPEG: Record<PhotoRendition, sharp.JpegOptions> = {
  large: { quality: 80, progressive: true },
  thumb: { quality: 78, mozjpeg: true },
};

/** High enough that a box drawn later is blurred from pixels as good as the upload's. */
const PRIVATE_ORIGINAL_JPEG: sharp.JpegOptions = { quality: 92 };

/** Boxes to blur, in fractions (0..1) of the upright image. */
export interface NormalisedBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A detected face's box covers eyes to chin; hair, ears and the jaw line identify someone too, so the
 * blurred area reaches past it (fractions of the face box's size, on each side).
 */
const FACE_MARGIN = { side: 0.25, top: 0.35, bottom: 0.2 };

/** Widens a detected face's box to the area blurred, clamped to the image. */
export function faceBlurBox(face: NormalisedBox): NormalisedBox {
  const x = Math.max(0, face.x - face.width * FACE_MARGIN.side);
  const y = Math.max(0, face.y - face.height * FACE_MARGIN.top);
  const right = Math.min(1, face.x + face.width * (1 + FACE_MARGIN.side));
  const bottom = Math.min(1, face.y + face.height * (1 + FACE_MARGIN.bottom));
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

/** A box in whole pixels inside a `width`×`height` image, at least one pixel each way (or null if outside). */
function toPixels(box: NormalisedBox, width: number, height: number) {
  const left = Math.max(0, Math.floor(box.x * width));
  const top = Math.max(0, Math.floor(box.y * height));
  const right = Math.min(width, Math.ceil((box.x + box.width) * width));
  const bottom = Math.min(height, Math.ceil((box.y + box.height) * height));
  if (right <= left || bottom <= top) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * How coarse a blurred area is: about 8 cells across its shorter side, then smoothed. The cells
 * remove what identifies (eyes, a plate's characters) for good, which a Gaussian blur alone does not
 * always do (it can be partly reversed); the smoothing makes it read as a blur rather than a mosaic.
 */
const BLUR_CELLS = 8;

/** Blurs each box of an RGB image in place of its pixels; returns the new pixels. */
async function blurRegions(
  pixels: Buffer,
  size: { width: number; height: number },
  boxes: readonly NormalisedBox[],
): Promise<Buffer> {
  const raw = { width: size.width, height: size.height, channels: 3 as const };
  const areas = boxes.map((b) => toPixels(b, size.width, size.height)).filter((a) => a !== null);
  if (areas.length === 0) return pixels;
  const patches = await Promise.all(
    areas.map(async (area) => {
      const cell = Math.max(1, Math.min(area.width, area.height) / BLUR_CELLS);
      const small = {
        width: Math.max(1, Math.round(area.width / cell)),
        height: Math.max(1, Math.round(area.height / cell)),
      };
      const coarse = await sharp(pixels, { raw })
        .extract(area)
        .resize(small.width, small.height, { fit: 'fill', kernel: 'cubic' })
        .raw()
        .toBuffer();
      const input = await sharp(coarse, { raw: { ...small, channels: 3 } })
        .resize(area.width, area.height, { fit: 'fill', kernel: 'cubic' })
        .blur(Math.max(0.3, cell / 2))
        .raw()
        .toBuffer();
      return { input, raw: { width: area.width, height: area.height, channels: 3 as const }, ...area };
    }),
  );
  return sharp(pixels, { raw }).composite(patches).removeAlpha().raw().toBuffer();
}

export interface AnonymisedRenditions {
  renditions: Rendition[];
  /** With `withOriginal`: the full-resolution upright image, unblurred and without metadata (kept private). */
  original: Buffer | null;
  /** The faces the detector found, in fractions of the upright image. */
  faces: { x: number; y: number; width: number; height: number; score: number }[];
}

/**
 * Produces the public renditions: upright (EXIF orientation applied), scaled down, with every face
 * `detect` finds and every box in `boxes` blurred, re-encoded as JPEG with no metadata at all (sharp
 * drops EXIF, XMP, IPTC and ICC unless asked). The large size is decoded once to pixels: the detector
 * reads them, the blur is drawn on them, and every rendition is made from the blurred pixels, so no
 * rendition can show what another hides.
 */
export async function renderRenditions(
  data: Buffer,
  options: {
    detect?: (image: { data: Buffer; width: number; height: number }) => Promise<AnonymisedRenditions['faces']>;
    boxes?: readonly NormalisedBox[];
    withOriginal?: boolean;
  } = {},
): Promise<AnonymisedRenditions> {
  const original = options.withOriginal
    ? open(data).rotate().toColourspace('srgb').jpeg(PRIVATE_ORIGINAL_JPEG).toBuffer()
    : Promise.resolve(null);
  // Awaited last; a photo that cannot be decoded fails the render below first, and this copy's own
  // rejection must not surface as an unhandled one.
  original.catch(() => {});
  const largest = Math.max(...Object.values(PHOTO_RENDITIONS));
  const { data: pixels, info } = await open(data)
    .rotate()
    .resize(largest, largest, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const size = { width: info.width, height: info.height };
  const faces = options.detect ? await options.detect({ data: pixels, ...size }) : [];
  const blurred = await blurRegions(pixels, size, [...faces.map(faceBlurBox), ...(options.boxes ?? [])]);
  const renditions = await Promise.all(
    (Object.entries(PHOTO_RENDITIONS) as [PhotoRendition, number][]).map(async ([name, edge]) => {
      const { data: out, info: outInfo } = await sharp(blurred, { raw: { ...size, channels: 3 } })
        .resize(edge, edge, { fit: 'inside', withoutEnlargement: true })
        .jpeg(RENDITION_JPEG[name])
        .toBuffer({ resolveWithObject: true });
      return { name, data: out, width: outInfo.width, height: outInfo.height };
    }),
  );
  return { renditions, faces, original: await original };
}

/**
 * One region of RGB pixels as a face detector's square input: scaled to fit `edge` (enlarged if
 * smaller), in the square's top left corner, the rest black, as face-api pads its inputs. Returns
 * the bytes and the size the region took inside the square.
 */
export async function toModelSquare(
  image: { data: Buffer; width: number; height: number },
  region: { left: number; top: number; width: number; height: number },
  edge: number,
): Promise<{ pixels: Buffer; width: number; height: number }> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const isWhole =
    region.left === 0 && region.top === 0 && region.width === image.width && region.height === image.height;
  const source = sharp(image.data, { raw });
  const { data, info } = await (isWhole ? source : source.extract(region))
    .resize(edge, edge, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = Buffer.alloc(edge * edge * 3);
  const row = info.width * 3;
  for (let y = 0; y < info.height; y += 1) data.copy(pixels, y * edge * 3, y * row, (y + 1) * row);
  return { pixels, width: info.width, height: info.height };
}

/** Reads the metadata of an encoded image (used by tests and checks on renditions). */
export async function readImageMetadata(data: Buffer): Promise<sharp.Metadata> {
  return sharp(data).metadata();
}
