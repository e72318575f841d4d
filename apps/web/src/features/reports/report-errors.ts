import { PHOTO_LIMITS, REPORT_LIMITS } from '@pave/shared';
import type { I18n, MessageKey } from '../../i18n';
import { ApiError } from '../../lib/api-client';

// Codes a resident can act on get their own sentence; anything else gets the generic one.
const CODE_MESSAGES: Partial<Record<string, MessageKey>> = {
  CATEGORY_UNKNOWN: 'error.CATEGORY_UNKNOWN',
  LOCATION_INVALID: 'error.LOCATION_INVALID',
  LOCATION_OUTSIDE_SERVICE_AREA: 'error.LOCATION_OUTSIDE_SERVICE_AREA',
  LOCATION_OUTSIDE_TOWNS: 'error.LOCATION_OUTSIDE_TOWNS',
  CATEGORY_NOT_OFFERED: 'error.CATEGORY_NOT_OFFERED',
  DESCRIPTION_TOO_LONG: 'error.DESCRIPTION_TOO_LONG',
  EMAIL_INVALID: 'error.EMAIL_INVALID',
  PHOTO_TOO_MANY: 'error.PHOTO_TOO_MANY',
  PHOTO_TOO_LARGE: 'error.PHOTO_TOO_LARGE',
  PHOTO_NOT_AN_IMAGE: 'error.PHOTO_NOT_AN_IMAGE',
  PHOTO_FORMAT_UNSUPPORTED: 'error.PHOTO_FORMAT_UNSUPPORTED',
  PHOTO_CORRUPT: 'error.PHOTO_CORRUPT',
  PHOTO_TOO_MANY_PIXELS: 'error.PHOTO_TOO_MANY_PIXELS',
  PHOTO_METADATA_TOO_LARGE: 'error.PHOTO_METADATA_TOO_LARGE',
  RATE_LIMITED: 'error.RATE_LIMITED',
  FEEDBACK_ALREADY_GIVEN: 'error.FEEDBACK_ALREADY_GIVEN',
  VALIDATION_FAILED: 'error.VALIDATION_FAILED',
  SERVICE_UNAVAILABLE: 'error.SERVICE_UNAVAILABLE',
  // The photo store is down: nothing was filed, and a report without photos would go through.
  STORAGE_UNAVAILABLE: 'error.STORAGE_UNAVAILABLE',
  NETWORK: 'error.network',
  // A proxy in front of the API may refuse a big upload before the API can answer with a code.
  HTTP_413: 'error.PHOTO_TOO_LARGE',
};

/** The sentence to show a resident for a failed report submission. */
export function describeSubmitError(error: unknown, t: I18n['t']): string {
  const code = error instanceof ApiError ? error.code : 'UNKNOWN';
  const key = CODE_MESSAGES[code] ?? 'error.generic';
  return t(key, {
    max: PHOTO_LIMITS.maxFiles,
    mb: Math.round(PHOTO_LIMITS.maxBytes / (1024 * 1024)),
    chars: REPORT_LIMITS.descriptionMaxLength,
  });
}
