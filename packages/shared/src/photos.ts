/** Photo limits shared by the web app (client checks) and the server (enforcement). */
export const PHOTO_LIMITS = {
  maxFiles: 3,
  /** Per file, as uploaded. A 12 MP phone JPEG is 2–6 MB; the web app downscales before upload. */
  maxBytes: 12 * 1024 * 1024,
  /**
   * Decoding cap, far below sharp's default of 268 MP: a 50 MP phone photo passes,
   * a decompression bomb is refused from its header before any pixel is decoded.
   */
  maxInputPixels: 50_000_000,
  acceptedMimeTypes: ['image/jpeg', 'image/png', 'image/webp'] as const,
} as const;

/** Rendition widths in pixels (longest edge). Originals are never served. */
export const PHOTO_RENDITIONS = { large: 1600, thumb: 400 } as const;
export type PhotoRendition = keyof typeof PHOTO_RENDITIONS;

export const PHOTO_STATUSES = ['pending', 'ready', 'failed'] as const;

/** A report's own photos, the crew's "after" photos, and photos added later in comments. */
export const PHOTO_KINDS = ['initial', 'after', 'comment'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];
