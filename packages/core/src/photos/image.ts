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

/**
 * Produces the public renditions: upright (EXIF orientation applied), scaled down,
 * re-encoded as JPEG with no metadata at all (sharp drops EXIF, XMP, IPTC and ICC unless asked).
 */
export async function renderRenditions(data: Buffer): Promise<Rendition[]> {
  const base = open(data).rotate();
  return Promise.all(
    (Object.entries(PHOTO_RENDITIONS) as [PhotoRendition, number][]).map(async ([name, size]) => {
      const { data: out, info } = await base
        .clone()
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .jpeg(RENDITION_JPEG[name])
        .toBuffer({ resolveWithObject: true });
      return { name, data: out, width: info.width, height: info.height };
    }),
  );
}

/** Reads the metadata of an encoded image (used by tests and checks on renditions). */
export async function readImageMetadata(data: Buffer): Promise<sharp.Metadata> {
  return sharp(data).metadata();
}
