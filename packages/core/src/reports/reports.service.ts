import {
  AppError,
  LOCALES,
  type Locale,
  PHOTO_LIMITS,
  publicStatusLabel,
  REPORT_LIMITS,
  isLatitude,
  isLongitude,
  parseCoordinate,
  type CreatedReport,
  type Label,
  type PublicReport,
  type ReportChannel,
  SEVERITIES,
  type Severity,
  isUuid,
  isValidEmail,
  maskPersonalData,
  maskPersonalDataOrNull,
  MODERATION_NOTICE,
} from '@pave/shared';
import { createHash } from 'node:crypto';
import type { Geocoder } from '../addresses/geocoder';
import { lookUpReportAddress, type ReportAddress } from '../addresses/report-address.service';
import type { Logger } from '../logger';
import { findIdempotentResponse, insertIdempotentResponse } from '../idempotency/idempotency.repo';
import { buildPublicTimeline } from './timeline';
import { findHiddenPhotoIds } from '../moderation/moderation.repo';
import type { TokenSigner } from '../tokens/report-tokens';
import { findAreaIdAt } from '../areas/areas.repo';
import {
  findCategoryByCode,
  findOfferedCategory,
  findOfferedCategoryTree,
  type CategoryRecord,
} from '../categories/categories.repo';
import { findServedTowns } from '../towns/towns.repo';
import { describeServedTowns, resolveTownAt } from '../towns/towns.service';
import { withTransaction, type Pool, type PoolClient } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { inspectImage, type ImageInfo } from '../photos/image';
import { attachPhoto, listPublicPhotos, newPhotoId, withPhotoCleanup } from '../photos/photos.service';
import type { Storage } from '../storage/storage';
import {
  appendReportHistory,
  findPublicReportRow,
  insertReport,
  type PublicReportRow,
  type ReportExtra,
} from './reports.repo';

export interface UploadedFile {
  data: Buffer;
  filename: string;
}

export interface CreateReportInput {
  category?: string;
  lat?: string;
  lon?: string;
  description?: string;
  email?: string;
  photos: UploadedFile[];
  source?: string;
  /** Set by channels other than the web form (Open311), which validate these fields themselves. */
  extra?: ReportExtra;
  severity?: string;
  /** The language of the page the resident reported from (`fr` unless said): their mails speak it. */
  language?: string;
  /** How the report reached the city; Open311 submissions are `open311`, others `web` unless said. */
  channel?: ReportChannel;
  /** Runs inside the creating transaction (an agent's filing recorded in the history). */
  onCreated?: (tx: PoolClient, report: { id: string; ref: string }) => Promise<void>;
  /** Set by the API from the request, not the form: the browser's device id and the signed-in citizen. */
  deviceId?: string | null;
  citizenId?: string | null;
  /**
   * Set by a channel that placed the point from an address (Open311 `address_id`, `address_string`):
   * stored as it is. Otherwise the address is what the index finds at the point, whatever a client says.
   */
  knownAddress?: ReportAddress;
}

/** What filing a report needs: the address lookup's geocoder, and a log for a lookup that fails. */
export interface ReportDeps {
  db: Pool;
  storage: Storage;
  tokens: TokenSigner;
  geocoder: Geocoder;
  log?: Pick<Logger, 'warn'>;
}

/** A client-chosen key and the digest of the request it came with (see `createReportOnce`). */
interface Idempotency {
  key: string;
  requestHash: string;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * Files a report: validates every field and photo first, then writes the report,
 * its photos, its history and its outbox jobs in one transaction. Nothing is written
 * when anything is refused.
 */
export async function createReport(
  deps: ReportDeps,
  input: CreateReportInput,
  idempotency?: Idempotency,
): Promise<CreatedReport> {
  const categoryCode = input.category?.trim() ?? '';
  if (!categoryCode) throw new AppError('CATEGORY_UNKNOWN', 'A category is required.');
  const lat = parseCoordinate(input.lat);
  const lon = parseCoordinate(input.lon);
  if (lat === null || lon === null) throw new AppError('LOCATION_INVALID', 'lat and lon are required decimal numbers.');
  if (!isLatitude(lat) || !isLongitude(lon)) {
    throw new AppError('LOCATION_INVALID', 'lat must be within -90..90 and lon within -180..180.');
  }
  const description = (input.description ?? '').trim();
  if (description.length > REPORT_LIMITS.descriptionMaxLength) {
    throw new AppError(
      'DESCRIPTION_TOO_LONG',
      `The description is limited to ${REPORT_LIMITS.descriptionMaxLength} characters.`,
    );
  }
  const email = input.email?.trim() || null;
  if (email !== null && !isValidEmail(email)) {
    throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  }
  const severity = (input.severity?.trim() || 'genant') as Severity;
  if (!SEVERITIES.includes(severity)) {
    throw new AppError('SEVERITY_INVALID', `severity must be one of ${SEVERITIES.join(', ')}.`);
  }
  const language = input.language?.trim() || 'fr';
  if (!(LOCALES as readonly string[]).includes(language)) {
    throw new AppError('VALIDATION_FAILED', `language must be one of ${LOCALES.join(', ')}.`);
  }
  if (input.photos.length > PHOTO_LIMITS.maxFiles) {
    throw new AppError('PHOTO_TOO_MANY', `At most ${PHOTO_LIMITS.maxFiles} photos per report.`);
  }

  const category = await findCategoryOfferedAt(deps.db, categoryCode, lon, lat);
  // Decision (docs/adr/0002): a point outside every service area is refused, not sent to a fallback team,
  // because no team can act there and the resident can still move the pin.
  const areaId = await findAreaIdAt(deps.db, lon, lat);
  if (areaId === null) {
    throw new AppError('LOCATION_OUTSIDE_SERVICE_AREA', 'This point is outside the area covered by the service.');
  }
  const photos: (UploadedFile & { info: ImageInfo; id: string })[] = [];
  for (const file of input.photos) photos.push({ ...file, info: await inspectImage(file.data), id: newPhotoId() });
  // Before the transaction: a slow geocoder must not hold a connection and row locks.
  const address = input.knownAddress ?? (await lookUpReportAddress(deps, lon, lat));

  // The object store down (STORAGE_UNAVAILABLE) refuses the whole report, rolled back: see docs/adr/0010.
  return withPhotoCleanup(
    deps.storage,
    photos.map((photo) => photo.id),
    () =>
      withTransaction(deps.db, async (tx) => {
        const report = await insertReport(tx, {
          categoryId: category.id,
          description,
          reporterEmail: email,
          lon,
          lat,
          priority: category.defaultPriority,
          areaId,
          source: input.source ?? 'web',
          extra: input.extra,
          severity,
          reporterLanguage: language as Locale,
          channel: input.channel ?? (input.source === 'open311' ? 'open311' : 'web'),
          deviceId: input.deviceId,
          citizenId: input.citizenId,
          ...address,
        });
        for (const [position, photo] of photos.entries()) {
          await attachPhoto(tx, deps.storage, { ...photo, reportId: report.id, kind: 'initial', position });
        }
        const historyId = await appendReportHistory(tx, {
          reportId: report.id,
          actor: 'resident',
          event: 'created',
          toStatus: report.status,
          isPublic: true,
          data: { photos: photos.length },
        });
        await insertOutboxJob(tx, 'report.route', { reportId: report.id });
        await input.onCreated?.(tx, report);
        // The acknowledgement mail, with the private tracking link, when the resident gave an address.
        if (email) await insertOutboxJob(tx, 'report.notify', { historyId });
        const created: CreatedReport = {
          id: report.id,
          ref: report.ref,
          status: report.status,
          url: `/reports/${report.id}`,
          trackingUrl: `/r/${report.ref}?t=${deps.tokens.reporterToken(report.id)}`,
        };
        if (idempotency) await insertIdempotentResponse(tx, { ...idempotency, reportId: report.id, response: created });
        return created;
      }),
  );
}

/**
 * The category as offered at a point (with its town's deadline and duplicate radius). Refused: an
 * unknown code (CATEGORY_UNKNOWN), a point outside every town (LOCATION_OUTSIDE_TOWNS, naming the
 * towns served), a town that takes no reports (LOCATION_OUTSIDE_SERVICE_AREA, naming it), and a
 * category neither the town nor a body serving it there handles (CATEGORY_NOT_OFFERED, with the list).
 */
export async function findCategoryOfferedAt(db: Pool, code: string, lon: number, lat: number): Promise<CategoryRecord> {
  const known = await findCategoryByCode(db, code);
  if (!known) throw new AppError('CATEGORY_UNKNOWN', `Unknown category "${code.slice(0, 80)}".`);
  const town = await resolveTownAt({ db }, lon, lat);
  if (!town.isServed) {
    const served = await findServedTowns(db);
    throw new AppError(
      'LOCATION_OUTSIDE_SERVICE_AREA',
      `This point is in ${town.name}, where Pavé takes no reports. Reports are taken in ${describeServedTowns(served)}.`,
    );
  }
  const place = { townCode: town.code, lon, lat };
  const category = await findOfferedCategory(db, place, code);
  if (category) return category;
  const offer = (await findOfferedCategoryTree(db, place)).flatMap((g) =>
    g.categories.map((c) => ({ code: c.code, label: c.label })),
  );
  throw new AppError(
    'CATEGORY_NOT_OFFERED',
    `${town.name} does not take reports for "${code.slice(0, 80)}" here; choose one of its ${offer.length} categories.`,
    undefined,
    { categories: offer },
  );
}

/**
 * Files a report at most once per Idempotency-Key: a retry with the same key and the same body gets
 * the first answer back (`replayed`), the same key with another body is refused (409).
 */
export async function createReportOnce(
  deps: ReportDeps,
  input: CreateReportInput,
  key: string | undefined,
): Promise<{ report: CreatedReport; replayed: boolean }> {
  if (key === undefined) return { report: await createReport(deps, input), replayed: false };
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–128 characters: letters, digits, - or _.');
  }
  // Hashed once: the digest covers the photo bytes, megabytes on a phone upload.
  const requestHash = hashReportRequest(input);
  const replay = async (): Promise<{ report: CreatedReport; replayed: boolean } | null> => {
    const stored = await findIdempotentResponse(deps.db, key);
    if (!stored) return null;
    if (stored.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different report.');
    }
    return { report: stored.response as CreatedReport, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return { report: await createReport(deps, input, { key, requestHash }), replayed: false };
  } catch (error) {
    // Two copies of the same submission raced: the loser answers with the winner's report.
    if ((error as { constraint?: string }).constraint === 'idempotency_keys_pkey') {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}

/** A digest of everything a submission says, photos included, to recognise the same request. */
function hashReportRequest(input: CreateReportInput): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      input.category,
      input.lat,
      input.lon,
      input.description,
      input.email,
      input.severity,
      input.source,
    ]),
  );
  for (const photo of input.photos) hash.update(createHash('sha256').update(photo.data).digest());
  return hash.digest('hex');
}

/**
 * The view of one report; `REPORT_NOT_FOUND` for an unknown or malformed id. For the public, a
 * sensitive category (an offensive tag) shows no resident photo — only the crew's "after" photos,
 * which show the cleaned place; staff see everything.
 */
export async function getPublicReport(
  deps: { db: Pool; storage: Storage },
  id: string,
  audience: 'public' | 'staff' = 'public',
): Promise<PublicReport> {
  if (!isUuid(id)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  const row = await findPublicReportRow(deps.db, id);
  if (!row) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  const isPublic = audience === 'public';
  const isRedacted = isPublic && row.category_is_sensitive;
  const hiddenPhotoIds = isPublic ? await findHiddenPhotoIds(deps.db, row.id) : new Set<string>();
  const photos = (await listPublicPhotos(deps.db, deps.storage, row.id)).filter((p) => !hiddenPhotoIds.has(p.id));
  // Phone numbers, e-mail addresses and plates typed by residents are masked for the public; staff read them.
  const timeline = (await buildPublicTimeline(deps, row.id, audience)).map((entry) =>
    isPublic ? { ...entry, message: maskPersonalDataOrNull(entry.message) } : entry,
  );
  const isDescriptionHidden = isPublic && row.description_hidden;
  return {
    id: row.id,
    ref: row.ref,
    status: row.status,
    statusLabel: publicStatusLabel(row.status, row.team_name !== null),
    statusDetail: statusDetailOf(row),
    category: {
      code: row.category_code,
      label: { fr: row.category_label_fr, en: row.category_label_en },
      group: { code: row.group_code, label: { fr: row.group_label_fr, en: row.group_label_en } },
    },
    description: isDescriptionHidden
      ? MODERATION_NOTICE.fr
      : isPublic
        ? maskPersonalData(row.description)
        : row.description,
    descriptionModeration: row.description_hidden ? 'hidden' : row.description_edited ? 'edited' : null,
    location: { type: 'Point', coordinates: [row.lon, row.lat] },
    address: row.address,
    area: row.area_name,
    team: row.team_name,
    town: row.town_code && row.town_name ? { code: row.town_code, name: row.town_name } : null,
    handledBy: row.team_name ? { name: row.team_name, isBody: row.team_is_body } : null,
    deadlineAt: row.deadline_at?.toISOString() ?? null,
    scheduledFor: row.scheduled_for?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    photos: isRedacted ? photos.filter((p) => p.kind === 'after') : photos,
    severity: row.severity,
    supportCount: row.support_count,
    reporterName: row.reporter_name,
    timeline: isRedacted
      ? timeline.map((entry) => (entry.event === 'comment' ? { ...entry, photoUrl: null } : entry))
      : timeline,
  };
}

/** The rejection reason of a rejected report, the body a transferred one went to; null otherwise. */
function statusDetailOf(row: PublicReportRow): Label | null {
  if (row.status === 'rejected' && row.rejection_reason_fr && row.rejection_reason_en) {
    return { fr: row.rejection_reason_fr, en: row.rejection_reason_en };
  }
  if (row.status === 'transferred' && row.transferred_to) {
    return { fr: `Transmis à ${row.transferred_to}`, en: `Transferred to ${row.transferred_to}` };
  }
  return null;
}
