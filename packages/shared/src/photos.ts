import { Type, type Static } from 'typebox';

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

/** At most this many boxes to blur on one photo (a crowded street scene needs a dozen). */
export const MAX_BLUR_BOXES = 50;

/**
 * A rectangle to blur, in fractions (0..1) of the upright photo's width and height, so it applies
 * to every rendition and to the original alike. Ranges are checked by the service (BLUR_BOX_INVALID).
 */
export const BlurBoxSchema = Type.Object(
  { x: Type.Number(), y: Type.Number(), width: Type.Number(), height: Type.Number() },
  { additionalProperties: false },
);
export type BlurBox = Static<typeof BlurBoxSchema>;

/** PUT /api/staff/photos/:id/blur: the whole set of staff boxes (an empty list removes them all). */
export const BlurBoxesBodySchema = Type.Object(
  { boxes: Type.Array(BlurBoxSchema, { maxItems: MAX_BLUR_BOXES }) },
  { additionalProperties: false },
);
export type BlurBoxesBody = Static<typeof BlurBoxesBodySchema>;

/** What staff see of a photo's anonymisation: their boxes, how many faces the worker blurred, the render. */
export const PhotoBlurSchema = Type.Object({
  photoId: Type.String(),
  reportId: Type.String(),
  status: Type.Enum(PHOTO_STATUSES),
  boxes: Type.Array(BlurBoxSchema),
  /** Faces the detector found and blurred in the renditions on show (null before the first render). */
  detectedFaces: Type.Union([Type.Integer(), Type.Null()]),
  /** Whether the renditions on show already include the latest boxes. */
  isRendered: Type.Boolean(),
  /** The large rendition on show, to draw on (null until processed). */
  largeUrl: Type.Union([Type.String(), Type.Null()]),
});
export type PhotoBlur = Static<typeof PhotoBlurSchema>;
