/** Longest edge sent to the server: above the 1600 px rendition, so nothing is lost there. */
const MAX_EDGE = 2048;
const JPEG_QUALITY = 0.82;

export class PhotoDecodeError extends Error {
  readonly isHeic: boolean;
  constructor(isHeic: boolean) {
    super(isHeic ? 'HEIC photo cannot be decoded here' : 'photo cannot be decoded');
    this.name = 'PhotoDecodeError';
    this.isHeic = isHeic;
  }
}

export function isHeic(file: File): boolean {
  return /^image\/hei[cf]/i.test(file.type) || /\.hei[cf]$/i.test(file.name);
}

async function toJpeg(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))), 'image/jpeg', JPEG_QUALITY),
  );
}

/**
 * Decodes a photo with its EXIF orientation applied and re-encodes it as a JPEG of at most
 * 2048 px: a 12 MP phone photo drops from ~5 MB to a few hundred KB, which is what makes the
 * upload bearable on a weak mobile connection. Re-encoding also drops the EXIF block (and its GPS).
 */
export async function downscalePhoto(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoDecodeError(isHeic(file));
  }
  try {
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas =
      typeof OffscreenCanvas === 'function'
        ? new OffscreenCanvas(width, height)
        : Object.assign(document.createElement('canvas'), { width, height });
    const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) throw new PhotoDecodeError(false);
    // A transparent PNG would turn black in a JPEG.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return await toJpeg(canvas);
  } finally {
    bitmap.close();
  }
}
