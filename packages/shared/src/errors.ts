import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';

/**
 * Stable error codes. Clients branch on `code`, never on `message`.
 * The HTTP status of each code lives next to it so API and web agree.
 */
export const ERRORS = {
  VALIDATION_FAILED: 400,
  BBOX_INVALID: 400,
  TILE_INVALID: 400,
  CATEGORY_UNKNOWN: 422,
  LOCATION_INVALID: 400,
  LOCATION_OUTSIDE_SERVICE_AREA: 422,
  LOCATION_OUTSIDE_TOWNS: 422,
  TOWN_NOT_FOUND: 404,
  TOWN_OVERLAPS: 409,
  DESCRIPTION_TOO_LONG: 400,
  EMAIL_INVALID: 400,
  MULTIPART_EXPECTED: 415,
  MULTIPART_INVALID: 400,
  FIELD_UNKNOWN: 400,
  PHOTO_TOO_MANY: 400,
  PHOTO_TOO_LARGE: 413,
  PHOTO_NOT_AN_IMAGE: 415,
  PHOTO_FORMAT_UNSUPPORTED: 415,
  PHOTO_CORRUPT: 422,
  PHOTO_TOO_MANY_PIXELS: 422,
  PHOTO_METADATA_TOO_LARGE: 422,
  PHOTO_NOT_FOUND: 404,
  BLUR_BOX_INVALID: 400,
  REPORT_NOT_FOUND: 404,
  REPORT_NOT_RESOLVED: 409,
  TRANSITION_NOT_ALLOWED: 409,
  TRANSITION_INCOMPLETE: 400,
  ASSIGNEE_INVALID: 422,
  REPORT_CLOSED: 409,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  GEOJSON_INVALID: 400,
  GEOMETRY_TYPE_UNSUPPORTED: 422,
  GEOMETRY_INVALID: 422,
  COORDINATES_OUT_OF_RANGE: 422,
  GEOMETRY_TOO_COMPLEX: 422,
  AREA_TOO_LARGE: 422,
  AREA_OUTSIDE_CITY: 422,
  /** A town's service area lying more than AREA_LIMITS allows outside the town's boundary. */
  AREA_OUTSIDE_TOWN: 422,
  /** A team or a service area asked to change town: refused, docs/adr/0012-towns.md says why. */
  TOWN_NOT_CHANGEABLE: 409,
  TEAM_NOT_FOUND: 404,
  AREA_NOT_FOUND: 404,
  RULE_NOT_FOUND: 404,
  CATEGORY_NOT_FOUND: 404,
  STAFF_USER_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  LAST_ADMIN: 409,
  OWN_ACCOUNT_LOCKOUT: 409,
  SEVERITY_INVALID: 400,
  COMMENT_INVALID: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_KEY_REUSED: 409,
  GEOCODER_UNAVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
  ADDRESS_NOT_FOUND: 404,
  MAGIC_LINK_INVALID: 400,
  MAGIC_LINK_EXPIRED: 410,
  MAGIC_LINK_USED: 409,
  OIDC_PROVIDER_UNKNOWN: 404,
  OIDC_PROVIDER_UNAVAILABLE: 503,
  OIDC_STATE_INVALID: 400,
  OIDC_CODE_INVALID: 400,
  ALERT_AREA_INVALID: 400,
  ALERT_AREA_TOO_LARGE: 422,
  ALERT_AREA_OUTSIDE: 422,
  ALERT_NOT_FOUND: 404,
  CHANNEL_INVALID: 400,
  FEEDBACK_ALREADY_GIVEN: 409,
  FOLLOW_CONFIRMATION_INVALID: 400,
  JOB_NOT_FOUND: 404,
  JOB_NOT_FAILED: 409,
  PERIOD_INVALID: 400,
  FILTER_INVALID: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  // Moderation, the city's voice, retention (issue #17).
  DUPLICATE_RADIUS_INVALID: 400,
  MODERATION_TARGET_NOT_FOUND: 404,
  MODERATION_REASON_REQUIRED: 400,
  // Towns (issue #19): a category the town at the pin does not offer (the answer lists its offer).
  CATEGORY_NOT_OFFERED: 400,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ErrorBodySchema = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    /** CATEGORY_NOT_OFFERED: what the town at the pin does offer. */
    categories: Type.Optional(Type.Array(Type.Object({ code: Type.String(), label: LabelSchema }))),
    /** GEOMETRY_INVALID: where PostGIS found the fault, when it names a place (to fix the file there). */
    location: Type.Optional(Type.Object({ lon: Type.Number(), lat: Type.Number() })),
    /** AREA_OUTSIDE_TOWN: how much of the area lies outside its town, and where (a page says it in its words). */
    outsideTown: Type.Optional(
      Type.Object({
        hectares: Type.Number(),
        /** Of the area's surface, 0..1. */
        share: Type.Number(),
        town: Type.String(),
        townName: Type.String(),
        /** The town holding most of the part outside; null when it lies in no known town. */
        mostlyIn: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

/**
 * The members of an answer that only some codes carry, beside `{ code, message, details }`: figures a
 * page puts in its own words (it never parses the message). A new one is a member of ErrorBodySchema
 * and a name here; the error handler and the web client pass them along as they are.
 */
export const ERROR_EXTRA_KEYS = ['categories', 'location', 'outsideTown'] as const;
export type ErrorExtra = Pick<ErrorBody, (typeof ERROR_EXTRA_KEYS)[number]>;

/** The `{ code, message }` answer for each listed 4xx/5xx status, to spread into a route's `response`. */
export function errorResponses<const S extends number>(...statuses: S[]): Record<S, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBodySchema])) as Record<S, typeof ErrorBodySchema>;
}

/** An expected, client-facing failure: becomes a 4xx `{ code, message }` answer. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorBody['details'];
  /** For RATE_LIMITED and the 503s: when to try again, sent as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;
  /** What this code carries beside its message (ErrorExtra), sent with the answer. */
  readonly extra: ErrorExtra;

  constructor(
    code: ErrorCode,
    message: string,
    details?: ErrorBody['details'],
    { retryAfterSeconds, cause, ...extra }: { retryAfterSeconds?: number; cause?: unknown } & ErrorExtra = {},
  ) {
    // The cause (a dependency's own error) is for the log, never for the answer.
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code];
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
    this.extra = extra;
  }
}

/** A 429 `RATE_LIMITED` answer, with the seconds until the window resets. */
export function rateLimited(message: string, retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', message, undefined, { retryAfterSeconds });
}

/** Type guard usable across package boundaries (instanceof can fail across bundles). */
export function isAppError(error: unknown): error is AppError {
  return error instanceof Error && error.name === 'AppError' && 'code' in error && 'status' in error;
}
