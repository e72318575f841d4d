import { ApiError } from '../../lib/api-client';
import type { MessageKey } from '../../i18n/fr';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const KNOWN: Record<string, MessageKey> = {
  GEOJSON_INVALID: 'admin.error.GEOJSON_INVALID',
  GEOMETRY_TYPE_UNSUPPORTED: 'admin.error.GEOMETRY_TYPE_UNSUPPORTED',
  GEOMETRY_INVALID: 'admin.error.GEOMETRY_INVALID',
  COORDINATES_OUT_OF_RANGE: 'admin.error.COORDINATES_OUT_OF_RANGE',
  GEOMETRY_TOO_COMPLEX: 'admin.error.GEOMETRY_TOO_COMPLEX',
  AREA_TOO_LARGE: 'admin.error.AREA_TOO_LARGE',
  AREA_OUTSIDE_CITY: 'admin.error.AREA_OUTSIDE_CITY',
  ALREADY_EXISTS: 'admin.error.ALREADY_EXISTS',
  LAST_ADMIN: 'admin.error.LAST_ADMIN',
  EMAIL_INVALID: 'admin.error.EMAIL_INVALID',
  VALIDATION_FAILED: 'admin.error.VALIDATION_FAILED',
  FORBIDDEN: 'admin.error.FORBIDDEN',
  AUTH_REQUIRED: 'admin.error.FORBIDDEN',
  HTTP_413: 'admin.error.TOO_BIG',
  NETWORK: 'admin.error.NETWORK',
};

/**
 * What went wrong, in the UI language (chosen by code), followed by the API's own detail: the detail
 * names the faulty point or the limit, which an administrator needs to fix a file.
 */
export function describeError(error: unknown, t: Translate): { title: string; detail: string } {
  if (!(error instanceof ApiError)) return { title: t('admin.error.generic'), detail: '' };
  const key = KNOWN[error.code];
  return { title: key ? t(key) : t('admin.error.generic'), detail: error.code === 'NETWORK' ? '' : error.message };
}
