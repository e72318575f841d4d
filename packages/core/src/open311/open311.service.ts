import { toReportAddress, type ReportAddress } from '../addresses/report-address.service';
import {
  LOCALES,
  type Locale,
  OPEN311,
  OPEN311_STATUSES,
  Open311Error,
  PHOTO_LIMITS,
  PUBLIC_STATUS,
  REPORT_STATUSES,
  isAppError,
  isLatitude,
  isLongitude,
  type Open311Attribute,
  type Open311Created,
  type Open311Discovery,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311TokenAnswer,
  type Open311Update,
  type Town,
  isUuid,
  maskPersonalData,
  maskPersonalDataOrNull,
  MODERATION_NOTICE,
} from '@pave/shared';
import { authenticateApiKey } from '../api-keys/api-keys.service';
import { findCategoryByCode, findOfferedCategory, findOfferedCategoryTree } from '../categories/categories.repo';
import type { Pool } from '../db/pool';
import { findServedTowns, findTown, findTownAt } from '../towns/towns.repo';
import { renditionKey } from '../photos/photos.service';
import { createReport, type UploadedFile } from '../reports/reports.service';
import {
  findCategoryAttributes,
  findOpen311Requests,
  findOpen311Services,
  findPublicHistory,
  findReportIdByToken,
  findStatusUpdates,
  type CategoryAttribute,
  type Open311RequestRow,
  type Open311ServiceRow,
} from './open311.repo';

/** What the Open311 endpoint is configured with (see the API config). */
export interface Open311Settings {
  jurisdictionId: string;
  /** Absolute base of public URLs (media_url, discovery), without a trailing slash. */
  publicBaseUrl: string;
  /** Hosts whose `media_url` we fetch; empty means never fetch. */
  mediaHosts: string[];
  contact: string;
  keyService: string;
  /** How long fetching one `media_url` may take. */
  mediaTimeoutMs: number;
  /** Where an `address_string` search ranks ties: the nearest to the city's centre first. */
  mapCentre: { lon: number; lat: number };
}

/** Whatever filing a report needs (the geocoder places `address_id` and `address_string`), plus the Open311 settings. */
export type Open311Deps = Parameters<typeof createReport>[0] & { open311: Open311Settings };

/** Form and query fields as received: a field sent twice arrives as an array. */
export type Open311Fields = Record<string, string | string[] | number | boolean | undefined>;

const DAY_MS = 24 * 60 * 60 * 1000;
// W3C's ISO 8601 profile with a mandatory timezone, as the specification requires.
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const PHONE = /^[0-9+().\s/-]{3,50}$/;
const ATTRIBUTE_KEY = /^attribute\[([^\]]*)\](?:\[\d*\])?$/;
const LIMITS = { name: 200, phone: 50, id: 200, address: 500, string: 255, text: 4000, url: 2000 } as const;

/** One value of a field; a field sent more than once is refused rather than guessed at. */
function single(fields: Open311Fields, name: string): string | undefined {
  const value = fields[name];
  if (Array.isArray(value)) throw new Open311Error(400, `${name} was sent more than once.`);
  if (value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function limited(fields: Open311Fields, name: string, max: number): string | null {
  const value = single(fields, name);
  if (value !== undefined && value.length > max) {
    throw new Open311Error(400, `${name} is limited to ${max} characters.`);
  }
  return value ?? null;
}

// A BCP 47 language tag as clients send it (en, en-GB, fr_FR, zh-Hant-TW): its first subtag is the language.
const LANGUAGE_TAG = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;

/**
 * The language of the resident's mails: the request's `locale` (an extension: GeoReport v2 has no
 * language field on POST), else the client's Accept-Language (`fallback`, from the route). A language
 * Pavé does not write mails in is French, the city's; a value that is no language tag is a 400.
 */
function requestLanguage(fields: Open311Fields, fallback: Locale): Locale {
  const raw = limited(fields, 'locale', 35);
  if (raw === null) return fallback;
  const match = LANGUAGE_TAG.exec(raw);
  if (!match) throw new Open311Error(400, 'locale must be a language tag such as fr, en or en-GB.');
  const language = match[1]!.toLowerCase();
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : 'fr';
}

/** Parses an ISO 8601 date-time with a timezone; null for anything else, including 2026-02-30. */
export function parseOpen311DateTime(raw: string): Date | null {
  const m = ISO_DATETIME.exec(raw);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', , oh = '0', om = '0'] = m;
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  const isReal =
    calendar.getUTCFullYear() === Number(y) &&
    calendar.getUTCMonth() === Number(mo) - 1 &&
    calendar.getUTCDate() === Number(d) &&
    calendar.getUTCHours() === Number(h) &&
    calendar.getUTCMinutes() === Number(mi) &&
    Number(oh) <= 23 &&
    Number(om) <= 59;
  const date = new Date(raw);
  return isReal && !Number.isNaN(date.getTime()) ? date : null;
}

function dateField(fields: Open311Fields, name: string): Date | null {
  const sent = single(fields, name);
  if (sent === undefined) return null;
  // An unencoded "+01:00" in a query string arrives as " 01:00" (trimmed to "01:00" at the end
  // of the value it cannot be); a space before an offset can only have been a plus sign.
  const raw = sent.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2');
  const date = parseOpen311DateTime(raw);
  if (!date) {
    throw new Open311Error(
      400,
      `${name} must be an ISO 8601 date-time with a timezone, e.g. 2026-11-01T00:00:00Z or 2026-11-01T01:00:00+01:00.`,
    );
  }
  return date;
}

function list(fields: Open311Fields, name: string): string[] | null {
  const raw = single(fields, name);
  if (raw === undefined) return null;
  const items = [...new Set(raw.split(',').map((s) => s.trim()))].filter(Boolean);
  return items.length > 0 ? items : null;
}

/**
 * The town a request names (issue #19): `jurisdiction_id` is a served town's INSEE code. Without one,
 * or with the deployment's own id (OPEN311_JURISDICTION_ID, `paris.fr` by default), the endpoint
 * answers for the whole deployment as before towns: every town's requests, the whole catalogue, a
 * POST anywhere served (null). Anything else is a 404, as the specification lists.
 */
async function resolveJurisdiction(deps: Open311Deps, fields: Open311Fields): Promise<Town | null> {
  const jurisdiction = single(fields, 'jurisdiction_id');
  if (jurisdiction === undefined || jurisdiction === deps.open311.jurisdictionId) return null;
  const town = /^(\d{2}|2A|2B)\d{3}$/.test(jurisdiction) ? await findTown(deps.db, jurisdiction) : null;
  if (!town?.isServed) {
    throw new Open311Error(
      404,
      `jurisdiction_id "${jurisdiction.slice(0, 80)}" not found; this endpoint serves "${deps.open311.jurisdictionId}" ` +
        'and the INSEE codes of the towns listed in discovery.',
    );
  }
  return town;
}

/** The service discovery document, with the jurisdictions (served towns) as an extension. */
export async function getOpen311Discovery(deps: { db: Pool; open311: Open311Settings }): Promise<Open311Discovery> {
  const settings = deps.open311;
  const towns = await findServedTowns(deps.db);
  return {
    changeset: OPEN311.changeset,
    contact: settings.contact,
    key_service: settings.keyService,
    endpoints: [
      {
        specification: OPEN311.specification,
        url: `${settings.publicBaseUrl}/open311/v2`,
        changeset: OPEN311.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
    jurisdictions: towns.map((t) => ({ jurisdiction_id: t.code, name: t.name })),
  };
}

/** Every active category as an Open311 service; for a jurisdiction, what that town offers, in its words. */
export async function listOpen311Services(deps: Open311Deps, fields: Open311Fields): Promise<Open311Service[]> {
  const town = await resolveJurisdiction(deps, fields);
  const rows = await findOpen311Services(deps.db);
  if (town) {
    const offered = new Map(
      (await findOfferedCategoryTree(deps.db, { townCode: town.code })).flatMap((g) =>
        g.categories.map((c) => [c.code, c.label.fr] as const),
      ),
    );
    return rows
      .filter((r) => offered.has(r.code))
      .map((r) => toOpen311Service({ ...r, labelFr: offered.get(r.code)! }));
  }
  return rows.map(toOpen311Service);
}

function toOpen311Service(r: Open311ServiceRow): Open311Service {
  return {
    service_code: r.code,
    service_name: r.labelFr,
    // Categories have no separate description yet; the label is the most useful text we hold.
    description: r.labelFr,
    metadata: r.hasAttributes,
    type: 'realtime',
    keywords: r.synonyms.join(','),
    group: r.groupLabelFr,
  };
}

function toOpen311Attribute(a: CategoryAttribute): Open311Attribute {
  return {
    variable: a.isVariable,
    code: a.code,
    datatype: a.datatype,
    required: a.isRequired,
    datatype_description: a.datatypeDescription,
    order: a.position,
    description: a.description,
    values: a.values,
  };
}

/** One service's definition: the attributes a request for it may or must carry. */
export async function getOpen311ServiceDefinition(
  deps: Open311Deps,
  serviceCode: string,
  fields: Open311Fields,
): Promise<Open311ServiceDefinition> {
  const town = await resolveJurisdiction(deps, fields);
  const category = town
    ? await findOfferedCategory(deps.db, { townCode: town.code }, serviceCode)
    : await findCategoryByCode(deps.db, serviceCode);
  if (!category) throw new Open311Error(404, `service_code "${serviceCode.slice(0, 80)}" not found.`);
  const attributes = await findCategoryAttributes(deps.db, category.id);
  return { service_code: category.code, attributes: attributes.map(toOpen311Attribute) };
}

/** A path on this site made absolute; a URL that already is one (photos on a CDN) stays as it is. */
function absoluteUrl(settings: Open311Settings, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${settings.publicBaseUrl}${pathOrUrl}`;
}

function toOpen311Request(deps: Open311Deps, row: Open311RequestRow): Open311Request {
  // Sensitive categories (hateful tags) are public without their photos, as on the map.
  const mediaPath = row.photoId && !row.isSensitive ? deps.storage.publicUrl(renditionKey(row.photoId, 'large')) : null;
  return {
    service_request_id: row.id,
    status: PUBLIC_STATUS[row.status].open311,
    status_notes: maskPersonalDataOrNull(row.statusNote),
    service_name: row.categoryLabelFr,
    service_code: row.categoryCode,
    description: row.isDescriptionHidden ? MODERATION_NOTICE.fr : maskPersonalData(row.description),
    agency_responsible: row.teamName,
    service_notice: null,
    requested_datetime: row.createdAt.toISOString(),
    updated_datetime: row.updatedAt.toISOString(),
    expected_datetime: row.deadlineAt?.toISOString() ?? null,
    address: row.address,
    address_id: row.addressId,
    zipcode: null,
    lat: row.lat,
    long: row.lon,
    media_url: mediaPath ? absoluteUrl(deps.open311, mediaPath) : null,
  };
}

async function withExtensions(deps: Open311Deps, rows: Open311RequestRow[]): Promise<Open311Request[]> {
  const history = await findPublicHistory(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    ...toOpen311Request(deps, row),
    extended_attributes: {
      ref: row.ref,
      town: row.townCode && row.townName ? { code: row.townCode, name: row.townName } : null,
      detailed_status: row.status,
      detailed_status_label: PUBLIC_STATUS[row.status].label.fr,
      history: history
        .filter((h) => h.reportId === row.id)
        .map((h) => ({
          at: h.at.toISOString(),
          event: h.event,
          status: h.toStatus,
          note: maskPersonalDataOrNull(h.note),
        })),
    },
  }));
}

function isExtended(fields: Open311Fields): boolean {
  const value = single(fields, 'extensions');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new Open311Error(400, 'extensions must be true or false.');
}

function integerField(fields: Open311Fields, name: string, fallback: number, max: number): number {
  const raw = single(fields, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new Open311Error(400, `${name} must be a whole number from 1 to ${max}.`);
  }
  return Number(raw);
}

/** The `page`/`page_size` extension; page_size above the specification's 1,000 is refused, not clamped. */
function pageOf(fields: Open311Fields): { limit: number; offset: number } {
  const pageSize = integerField(fields, 'page_size', OPEN311.maxRequests, OPEN311.maxPageSize);
  const page = integerField(fields, 'page', 1, 1_000_000);
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

/** start_date/end_date: 90 days back from now by default, and never a span over 90 days. */
function windowOf(fields: Open311Fields): { start: Date; end: Date } {
  let start = dateField(fields, 'start_date');
  let end = dateField(fields, 'end_date');
  const span = OPEN311.windowDays * DAY_MS;
  if (!start && !end) end = new Date();
  if (!start) start = new Date(end!.getTime() - span);
  if (!end) end = new Date(start.getTime() + span);
  if (end < start) throw new Open311Error(400, 'end_date must not be before start_date.');
  if (end.getTime() - start.getTime() > span) {
    throw new Open311Error(400, `start_date and end_date may not span more than ${OPEN311.windowDays} days.`);
  }
  return { start, end };
}

/** GET requests: by ids (which override every other criterion), or filtered within a date window. */
export async function listOpen311Requests(deps: Open311Deps, fields: Open311Fields): Promise<Open311Request[]> {
  const town = await resolveJurisdiction(deps, fields);
  const townCode = town?.code ?? null;
  const extended = isExtended(fields);
  const page = pageOf(fields);
  const ids = list(fields, 'service_request_id');
  if (ids && ids.length > OPEN311.maxIdsPerQuery) {
    throw new Open311Error(400, `At most ${OPEN311.maxIdsPerQuery} service_request_id values per query.`);
  }
  let rows: Open311RequestRow[];
  if (ids) {
    // Ids that cannot be ours match nothing, like unknown ones.
    const wellFormed = ids.filter((id) => isUuid(id));
    rows = await findOpen311Requests(deps.db, {
      ids: wellFormed,
      townCode,
      categoryCodes: null,
      statuses: null,
      start: new Date(0),
      end: new Date(0),
      ...page,
    });
  } else {
    const window = windowOf(fields);
    const codes = list(fields, 'service_code');
    if (codes) {
      const known = new Set((await findOpen311Services(deps.db)).map((s) => s.code));
      const unknown = codes.find((c) => !known.has(c));
      if (unknown) throw new Open311Error(404, `service_code "${unknown.slice(0, 80)}" not found.`);
    }
    const wanted = list(fields, 'status');
    const wrong = wanted?.find((s) => !(OPEN311_STATUSES as readonly string[]).includes(s));
    if (wrong)
      throw new Open311Error(400, `status must be open or closed (comma-separated), not "${wrong.slice(0, 40)}".`);
    const statuses = wanted ? REPORT_STATUSES.filter((s) => wanted.includes(PUBLIC_STATUS[s].open311)) : null;
    rows = await findOpen311Requests(deps.db, {
      ids: null,
      townCode,
      categoryCodes: codes,
      statuses,
      ...window,
      ...page,
    });
  }
  return extended ? withExtensions(deps, rows) : rows.map((row) => toOpen311Request(deps, row));
}

/** GET requests/{id}: a list of one, as the specification answers. */
export async function getOpen311Request(
  deps: Open311Deps,
  id: string,
  fields: Open311Fields,
): Promise<Open311Request[]> {
  const town = await resolveJurisdiction(deps, fields);
  const extended = isExtended(fields);
  const rows = isUuid(id)
    ? await findOpen311Requests(deps.db, {
        ids: [id],
        townCode: town?.code ?? null,
        categoryCodes: null,
        statuses: null,
        start: new Date(0),
        end: new Date(0),
        limit: 1,
        offset: 0,
      })
    : [];
  if (rows.length === 0) throw new Open311Error(404, `service_request_id "${id.slice(0, 80)}" not found.`);
  return extended ? withExtensions(deps, rows) : rows.map((row) => toOpen311Request(deps, row));
}

/** GET tokens/{token}: the request filed with that token. */
export async function getOpen311RequestIdByToken(
  deps: Open311Deps,
  token: string,
  fields: Open311Fields,
): Promise<Open311TokenAnswer> {
  await resolveJurisdiction(deps, fields);
  const id = isUuid(token) ? await findReportIdByToken(deps.db, token) : null;
  if (!id) throw new Open311Error(404, `token "${token.slice(0, 80)}" not found.`);
  return [{ service_request_id: id, token }];
}

/** mySociety's servicerequestupdates: public status changes within a date window. */
export async function listOpen311Updates(deps: Open311Deps, fields: Open311Fields): Promise<Open311Update[]> {
  const town = await resolveJurisdiction(deps, fields);
  const updates = await findStatusUpdates(deps.db, {
    ...windowOf(fields),
    ...pageOf(fields),
    townCode: town?.code ?? null,
  });
  return updates.map((u) => ({
    update_id: u.id,
    service_request_id: u.reportId,
    status: PUBLIC_STATUS[u.toStatus!].open311,
    updated_datetime: u.at.toISOString(),
    description: maskPersonalDataOrNull(u.note) ?? PUBLIC_STATUS[u.toStatus!].label.fr,
    media_url: null,
  }));
}

/** Collects `attribute[code]`, `attribute[code][]` and `attribute[code][n]` fields, repeated or not. */
function collectAttributes(fields: Open311Fields): Map<string, string[]> {
  const answers = new Map<string, string[]>();
  for (const [key, value] of Object.entries(fields)) {
    const code = ATTRIBUTE_KEY.exec(key)?.[1];
    if (code === undefined || value === undefined) continue;
    const values = (Array.isArray(value) ? value : [String(value)]).map((v) => v.trim()).filter(Boolean);
    answers.set(code, [...(answers.get(code) ?? []), ...values]);
  }
  return answers;
}

/** Checks answers against the service definition; returns what is stored. */
function validateAttributes(
  serviceCode: string,
  definitions: CategoryAttribute[],
  answers: Map<string, string[]>,
): Record<string, string | string[]> {
  const byCode = new Map(definitions.filter((d) => d.isVariable).map((d) => [d.code, d]));
  for (const code of answers.keys()) {
    if (!byCode.has(code)) {
      throw new Open311Error(400, `attribute[${code.slice(0, 60)}] is not an attribute of service ${serviceCode}.`);
    }
  }
  const stored: Record<string, string | string[]> = {};
  for (const d of byCode.values()) {
    const values = answers.get(d.code) ?? [];
    const name = `attribute[${d.code}]`;
    if (values.length === 0) {
      if (d.isRequired) throw new Open311Error(400, `${name} is required (${d.description}).`);
      continue;
    }
    if (d.datatype !== 'multivaluelist' && values.length > 1) {
      throw new Open311Error(400, `${name} takes one value, not ${values.length}.`);
    }
    const keys = d.values.map((v) => v.key);
    const value = values[0]!;
    switch (d.datatype) {
      case 'singlevaluelist':
      case 'multivaluelist': {
        const wrong = values.find((v) => !keys.includes(v));
        if (wrong !== undefined) {
          throw new Open311Error(400, `${name} value "${wrong.slice(0, 60)}" is not one of: ${keys.join(', ')}.`);
        }
        stored[d.code] = d.datatype === 'multivaluelist' ? [...new Set(values)] : value;
        break;
      }
      case 'number':
        if (!DECIMAL.test(value) || value.length > 30) throw new Open311Error(400, `${name} must be a decimal number.`);
        stored[d.code] = value;
        break;
      case 'datetime': {
        const date = parseOpen311DateTime(value);
        if (!date) throw new Open311Error(400, `${name} must be an ISO 8601 date-time with a timezone.`);
        stored[d.code] = date.toISOString();
        break;
      }
      case 'string':
      case 'text': {
        const max = d.datatype === 'string' ? LIMITS.string : LIMITS.text;
        if (value.length > max) throw new Open311Error(400, `${name} is limited to ${max} characters.`);
        stored[d.code] = value;
        break;
      }
    }
  }
  return stored;
}

/**
 * Below this confidence the geocoder's best guess could be the wrong street: the request is refused
 * and the client asked for lat/long, rather than a crew sent to the wrong place.
 */
export const ADDRESS_MIN_SCORE = 0.6;

/**
 * Reads lat/long; without them, places the report at `address_id` (a BAN id of the city's index), else
 * at `address_string` when the geocoder is confident enough. A report placed from an address keeps that
 * address (a street when the best match is a street, at its centre point); one sent with a point gets
 * the address the index finds there, like a web report, and a client's `address_string` is not stored.
 */
async function locationOf(
  deps: Open311Deps,
  fields: Open311Fields,
): Promise<{ lat: string; lon: string; knownAddress?: ReportAddress }> {
  const lat = single(fields, 'lat');
  const lon = single(fields, 'long');
  if (lat !== undefined || lon !== undefined) {
    if (lat === undefined || lon === undefined) throw new Open311Error(400, 'lat and long must be sent together.');
    return { lat, lon };
  }
  const addressId = limited(fields, 'address_id', LIMITS.id);
  const text = limited(fields, 'address_string', LIMITS.address);
  if (addressId === null && text === null) {
    throw new Open311Error(
      400,
      'A location is required: lat and long (WGS84 decimal degrees), an address_id or an address_string.',
    );
  }
  try {
    if (addressId !== null) {
      const found = await deps.geocoder.findById(addressId);
      if (!found) {
        throw new Open311Error(
          400,
          `address_id "${addressId.slice(0, 80)}" is not an address of this city: send lat and long, or an address_string.`,
        );
      }
      return {
        lat: String(found.lat),
        lon: String(found.lon),
        knownAddress: toReportAddress({ ...found, kind: 'address' }),
      };
    }
    const [best] = await deps.geocoder.search(text!.slice(0, 200), deps.open311.mapCentre);
    if (!best || best.score < ADDRESS_MIN_SCORE) {
      throw new Open311Error(400, 'This address could not be located with confidence: send lat and long with it.');
    }
    return { lat: String(best.lat), lon: String(best.lon), knownAddress: toReportAddress(best) };
  } catch (error) {
    if (error instanceof Open311Error) throw error;
    throw new Open311Error(400, 'The address service is unavailable: send lat and long (WGS84 decimal degrees).');
  }
}

type MediaOutcome = { photo: UploadedFile | null; notice: string | null };

/**
 * Fetches `media_url` only from allowed hosts (docs/adr/0003): anything else would let any
 * client make this server fetch arbitrary URLs. A refused or failed fetch never loses the request.
 */
async function fetchMedia(settings: Open311Settings, raw: string | null): Promise<MediaOutcome> {
  if (raw === null) return { photo: null, notice: null };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Open311Error(400, 'media_url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Open311Error(400, 'media_url must be an http or https URL.');
  }
  const notFetched = 'La photo (media_url) n’a pas été récupérée';
  if (!settings.mediaHosts.includes(url.hostname.toLowerCase())) {
    return { photo: null, notice: `${notFetched} : ce site n’est pas autorisé.` };
  }
  try {
    // No redirects: an allowed host must not bounce the fetch to one that is not.
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(settings.mediaTimeoutMs) });
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (!response.ok || declared > PHOTO_LIMITS.maxBytes) throw new Error(`status ${response.status}`);
    const data = Buffer.from(await response.arrayBuffer());
    if (data.length > PHOTO_LIMITS.maxBytes) throw new Error('too large');
    return { photo: { data, filename: url.pathname.split('/').pop() || 'media' }, notice: null };
  } catch {
    return { photo: null, notice: `${notFetched} : elle est inaccessible ou trop lourde.` };
  }
}

/** A request to a jurisdiction is filed in that town or refused (400), never routed to a neighbour. */
async function checkInTown(deps: Open311Deps, town: Town, location: { lat: string; lon: string }): Promise<void> {
  const lat = Number(location.lat);
  const lon = Number(location.lon);
  // A malformed point is refused with its own message by the report pipeline.
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || !isLatitude(lat) || !isLongitude(lon)) return;
  const at = await findTownAt(deps.db, lon, lat);
  if (at?.code !== town.code) {
    throw new Open311Error(
      400,
      `This position lies ${at ? `in ${at.name} (${at.code})` : 'outside every town'}, not in ${town.name} ` +
        `(jurisdiction_id ${town.code}): send it to its own jurisdiction, or without jurisdiction_id.`,
    );
  }
}

/** Maps a refusal of the shared report pipeline onto the specification's error statuses. */
function asOpen311Error(error: unknown): unknown {
  // A dependency down (the object store): not the client's fault, answered 503 by the route to retry later.
  if (!isAppError(error) || error.status >= 500) return error;
  return new Open311Error(error.code === 'CATEGORY_UNKNOWN' ? 404 : 400, error.message);
}

/**
 * POST requests: authenticates the client, checks the request against the service definition,
 * then files it through the same pipeline as a web report. `acceptLanguage`: the language the client's
 * Accept-Language prefers, used for the resident's mails when the request has no `locale`.
 */
export async function createOpen311Request(
  deps: Open311Deps,
  fields: Open311Fields,
  acceptLanguage: Locale = 'fr',
): Promise<Open311Created> {
  const town = await resolveJurisdiction(deps, fields);
  const apiKey = single(fields, 'api_key');
  if (apiKey === undefined) throw new Open311Error(403, 'api_key is required to file a request.');
  const client = await authenticateApiKey(deps.db, apiKey);
  if (!client) throw new Open311Error(403, 'api_key is not valid or has been revoked.');

  const serviceCode = single(fields, 'service_code');
  if (serviceCode === undefined) throw new Open311Error(400, 'service_code is required.');
  const category = await findCategoryByCode(deps.db, serviceCode);
  if (!category) throw new Open311Error(404, `service_code "${serviceCode.slice(0, 80)}" not found.`);
  const location = await locationOf(deps, fields);
  if (town) await checkInTown(deps, town, location);
  const attributes = validateAttributes(
    category.code,
    await findCategoryAttributes(deps.db, category.id),
    collectAttributes(fields),
  );
  const language = requestLanguage(fields, acceptLanguage);
  const phone = limited(fields, 'phone', LIMITS.phone);
  if (phone !== null && !PHONE.test(phone)) throw new Open311Error(400, 'phone is not a telephone number.');
  const accountId = limited(fields, 'account_id', LIMITS.id);
  const extra = {
    attributes,
    firstName: limited(fields, 'first_name', LIMITS.name),
    lastName: limited(fields, 'last_name', LIMITS.name),
    phone,
    deviceId: limited(fields, 'device_id', LIMITS.id),
    accountId,
    apiClientId: client.id,
    // No token: the request exists when we answer, and GeoReport v2 gives a token only instead of an id.
    open311Token: null,
  };
  const media = await fetchMedia(deps.open311, limited(fields, 'media_url', LIMITS.url));
  const { knownAddress, ...point } = location;
  const input = {
    category: category.code,
    ...point,
    knownAddress,
    description: single(fields, 'description'),
    email: single(fields, 'email'),
    language,
    photos: media.photo ? [media.photo] : [],
    source: 'open311',
    extra,
  };
  let notice = media.notice;
  let created;
  try {
    created = await createReport(deps, input);
  } catch (error) {
    // A fetched file that is not an acceptable photo costs the photo, never the request.
    if (!(isAppError(error) && error.code.startsWith('PHOTO_') && input.photos.length > 0)) {
      throw asOpen311Error(error);
    }
    notice = 'La photo (media_url) n’a pas été retenue : ce n’est pas une image acceptée.';
    created = await createReport(deps, { ...input, photos: [] }).catch((again: unknown) => {
      throw asOpen311Error(again);
    });
  }
  return [{ service_request_id: created.id, service_notice: notice, account_id: accountId }];
}
