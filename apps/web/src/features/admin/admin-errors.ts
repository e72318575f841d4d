import { AREA_LIMITS } from '@pave/shared';
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
  AREA_OUTSIDE_TOWN: 'admin.error.AREA_OUTSIDE_TOWN',
  TOWN_NOT_CHANGEABLE: 'admin.error.TOWN_NOT_CHANGEABLE',
  ALREADY_EXISTS: 'admin.error.ALREADY_EXISTS',
  LAST_ADMIN: 'admin.error.LAST_ADMIN',
  OWN_ACCOUNT_LOCKOUT: 'admin.error.OWN_ACCOUNT_LOCKOUT',
  EMAIL_INVALID: 'admin.error.EMAIL_INVALID',
  VALIDATION_FAILED: 'admin.error.VALIDATION_FAILED',
  FORBIDDEN: 'admin.error.FORBIDDEN',
  AUTH_REQUIRED: 'admin.error.FORBIDDEN',
  HTTP_413: 'admin.error.TOO_BIG',
  NETWORK: 'admin.error.NETWORK',
  AREA_NOT_FOUND: 'admin.error.NOT_FOUND',
  CATEGORY_NOT_FOUND: 'admin.error.NOT_FOUND',
  RULE_NOT_FOUND: 'admin.error.NOT_FOUND',
  STAFF_USER_NOT_FOUND: 'admin.error.NOT_FOUND',
  TEAM_NOT_FOUND: 'admin.error.NOT_FOUND',
};

/** The message key of an API error code: the code's own sentence, or a general one. */
export function messageKeyOf(code: string): MessageKey {
  return KNOWN[code] ?? 'admin.error.generic';
}

/**
 * What went wrong, in the UI language, chosen by code: the API's message (English, for developers,
 * "body/code must match pattern …") is never shown; `keyOf` lets a control say a code in its own words
 * (a rule that is gone, a list changed meanwhile). For an invalid outline, the place of the fault
 * PostGIS names (the answer's `location`) is given, which an administrator needs to fix the file; for an outline
 * spilling out of its town, how much and out of which town.
 */
export function describeError(
  error: unknown,
  t: Translate,
  keyOf: (code: string) => MessageKey = messageKeyOf,
): { title: string; detail: string } {
  if (!(error instanceof ApiError)) return { title: t('admin.error.generic'), detail: '' };
  const title = t(keyOf(error.code), {
    share: AREA_LIMITS.maxOutsideTownShare * 100,
    hectares: AREA_LIMITS.maxOutsideTownHa,
  });
  const at = error.code === 'GEOMETRY_INVALID' ? error.extra.location : undefined;
  if (at) return { title, detail: t('admin.error.at', { lon: String(at.lon), lat: String(at.lat) }) };
  const outside = error.code === 'AREA_OUTSIDE_TOWN' ? error.extra.outsideTown : undefined;
  if (outside) {
    const vars = {
      hectares: Math.round(outside.hectares * 10) / 10,
      share: Math.round(outside.share * 1000) / 10,
      town: outside.townName,
      other: outside.mostlyIn ?? '',
    };
    return {
      title,
      detail: t(outside.mostlyIn ? 'admin.error.outsideTownInto' : 'admin.error.outsideTownNowhere', vars),
    };
  }
  return { title, detail: '' };
}
