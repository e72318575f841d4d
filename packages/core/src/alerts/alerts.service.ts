import { timingSafeEqual } from 'node:crypto';
import {
  ALERT_LIMITS,
  AppError,
  isLatitude,
  isLongitude,
  type AlertFrequency,
  type AlertLinkPurpose,
  type AlertPending,
  type AlertView,
  type CreateAlert,
  isValidEmail,
} from '@pave/shared';
import type { RedisConnection } from '../queue/queue';
import { withTransaction, type Pool } from '../db/pool';
import type { Logger } from '../logger';
import { escapeHtml, type Mail, type Mailer } from '../notifications/notifications.service';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import type { TokenSigner } from '../tokens/report-tokens';
import {
  checkPolygon,
  confirmAlert,
  deleteUnconfirmedAlerts,
  findAlert,
  findCategoryIds,
  findDigestItems,
  findDueAlertIds,
  findServiceArea,
  insertAlert,
  isCircleInServiceArea,
  lockDueAlert,
  markConfirmationSent,
  markDigestDone,
  unsubscribeAlert,
  type AlertRow,
  type DigestItem,
  type NewAlert,
} from './alerts.repo';

/** The two private links of an alert: confirming it (double opt-in) and leaving it. */
type AlertPurpose = 'alert-confirm' | 'alert-unsubscribe';

const TOKEN = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

/** `<alert id>.<HMAC>`: checked without a stored secret, like residents' report links. */
export function alertToken(tokens: TokenSigner, purpose: AlertPurpose, alertId: string): string {
  return `${alertId}.${tokens.signature(purpose, alertId)}`;
}

function readAlertToken(tokens: TokenSigner, purpose: AlertPurpose, token: string): string | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const expected = Buffer.from(tokens.signature(purpose, match[1]!));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
}

async function alertForToken(
  deps: { db: Pool; tokens: TokenSigner },
  purpose: AlertPurpose,
  token: string,
): Promise<AlertRow> {
  const id = readAlertToken(deps.tokens, purpose, token);
  const alert = id === null ? null : await findAlert(deps.db, id);
  // Same answer for a forged link and a deleted alert.
  if (!alert) throw new AppError('ALERT_NOT_FOUND', 'This alert link is not valid.');
  return alert;
}

function viewOf(alert: AlertRow): AlertView {
  return {
    areaLabel: alert.areaLabel,
    frequency: alert.frequency,
    state: alert.unsubscribedAt ? 'unsubscribed' : alert.confirmedAt ? 'active' : 'pending',
  };
}

/** The area of a subscription, checked: an arrondissement, a circle, or a valid polygon of bounded size. */
async function resolveArea(db: Pool, area: CreateAlert['area']): Promise<{ area: NewAlert['area']; label: string }> {
  if ('areaCode' in area) {
    const found = await findServiceArea(db, area.areaCode);
    if (!found) throw new AppError('ALERT_AREA_INVALID', `Unknown area "${area.areaCode.slice(0, 80)}".`);
    return { area: { kind: 'area', areaId: found.id }, label: found.name };
  }
  if ('center' in area) {
    const [lon, lat] = area.center as [number, number];
    if (!isLongitude(lon) || !isLatitude(lat)) {
      throw new AppError('LOCATION_INVALID', 'center must be [lon, lat] within range.');
    }
    const radiusM = area.radiusM;
    if (!Number.isFinite(radiusM) || radiusM < ALERT_LIMITS.minRadiusM || radiusM > ALERT_LIMITS.maxRadiusM) {
      throw new AppError(
        'ALERT_AREA_INVALID',
        `radiusM must be between ${ALERT_LIMITS.minRadiusM} and ${ALERT_LIMITS.maxRadiusM} metres.`,
      );
    }
    if (!(await isCircleInServiceArea(db, lon, lat, radiusM))) {
      throw new AppError('ALERT_AREA_OUTSIDE', 'This circle is outside the area covered by the service.');
    }
    const where = area.label?.trim() || `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    return {
      area: { kind: 'circle', lon, lat, radiusM: Math.round(radiusM) },
      label: `${Math.round(radiusM)} m autour de ${where}`,
    };
  }
  const geojson = JSON.stringify(area.polygon);
  let check;
  try {
    check = await checkPolygon(db, geojson);
  } catch (error) {
    // PostGIS refuses what it cannot read (an unclosed ring, too few points): the client's mistake.
    const message = (error as Error).message.slice(0, 200);
    throw new AppError('ALERT_AREA_INVALID', `The polygon cannot be read: ${message}`);
  }
  if (!check.isValid) throw new AppError('ALERT_AREA_INVALID', `The polygon is not valid: ${check.reason}.`);
  if (check.areaKm2 !== null && check.areaKm2 > ALERT_LIMITS.maxAreaKm2) {
    throw new AppError(
      'ALERT_AREA_TOO_LARGE',
      `The area covers ${Math.round(check.areaKm2)} km²; an alert covers at most ${ALERT_LIMITS.maxAreaKm2} km².`,
    );
  }
  if (!check.isInServiceArea) {
    throw new AppError('ALERT_AREA_OUTSIDE', 'This area is outside the area covered by the service.');
  }
  return { area: { kind: 'polygon', geojson }, label: area.label?.trim() || 'Zone dessinée sur la carte' };
}

/**
 * Subscribes an e-mail address to an area's digest, pending its confirmation: the alert and the job
 * that mails the confirmation link are written in one transaction. Limited per address and per IP,
 * so the form cannot be used to flood someone's inbox.
 */
export async function subscribeAlert(
  deps: { db: Pool; redis: RedisConnection; rateLimitPrefix: string },
  input: CreateAlert,
  ip: string,
): Promise<AlertPending> {
  const email = input.email.trim();
  if (!isValidEmail(email)) throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  const { area, label } = await resolveArea(deps.db, input.area);
  const categoryCodes = [...new Set(input.categories ?? [])];
  const groupCodes = [...new Set(input.groups ?? [])];
  const known = await findCategoryIds(deps.db, categoryCodes, groupCodes);
  const unknown = [
    ...categoryCodes.filter((c) => !known.categories.has(c)),
    ...groupCodes.filter((g) => !known.groups.has(g)),
  ];
  if (unknown.length > 0) throw new AppError('CATEGORY_UNKNOWN', `Unknown category "${unknown[0]!.slice(0, 80)}".`);
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [
      { key: `alerts:email:${email.toLowerCase()}`, max: 5, windowSeconds: 3600 },
      { key: `alerts:ip:${ip}`, max: 30, windowSeconds: 3600 },
    ],
    'Too many alert requests; try again later.',
  );
  await withTransaction(deps.db, async (tx) => {
    const alertId = await insertAlert(tx, {
      email,
      areaLabel: label.slice(0, 300),
      frequency: input.frequency,
      categoryIds: [...known.categories.values()],
      groupIds: [...known.groups.values()],
      area,
    });
    await insertOutboxJob(tx, 'alert.confirm', { alertId });
  });
  return { status: 'pending' };
}

/** What an alert link opens, for the confirmation and unsubscribe pages (no e-mail address). */
export async function describeAlert(
  deps: { db: Pool; tokens: TokenSigner },
  purpose: AlertLinkPurpose,
  token: string,
): Promise<AlertView> {
  return viewOf(await alertForToken(deps, purpose === 'confirm' ? 'alert-confirm' : 'alert-unsubscribe', token));
}

/** Confirms an alert from its link (idempotent); an alert unsubscribed since stays so. */
export async function confirmAlertByToken(deps: { db: Pool; tokens: TokenSigner }, token: string): Promise<AlertView> {
  const alert = await alertForToken(deps, 'alert-confirm', token);
  await confirmAlert(deps.db, alert.id);
  return viewOf((await findAlert(deps.db, alert.id))!);
}

/** One-click unsubscribe from a digest's link or its List-Unsubscribe header, without signing in. */
export async function unsubscribeAlertByToken(
  deps: { db: Pool; tokens: TokenSigner },
  token: string,
): Promise<AlertView> {
  const alert = await alertForToken(deps, 'alert-unsubscribe', token);
  await unsubscribeAlert(deps.db, alert.id);
  return viewOf((await findAlert(deps.db, alert.id))!);
}

export interface AlertMailDeps {
  db: Pool;
  mailer: Mailer;
  tokens: TokenSigner;
  publicBaseUrl: string;
  logger: Logger;
}

const FREQUENCY_FR: Record<AlertFrequency, string> = { daily: 'chaque jour', weekly: 'chaque semaine' };

/** Mails the double opt-in link of a pending alert, once. */
export async function sendAlertConfirmation(deps: AlertMailDeps, alertId: string): Promise<{ sent: boolean }> {
  const alert = await findAlert(deps.db, alertId);
  if (!alert || alert.confirmationSentAt || alert.confirmedAt || alert.unsubscribedAt) return { sent: false };
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const link = `${base}/alertes/confirmer?t=${alertToken(deps.tokens, 'alert-confirm', alert.id)}`;
  const lines = [
    `Vous avez demandé à recevoir ${FREQUENCY_FR[alert.frequency]} les nouveaux signalements et les problèmes résolus : ${alert.areaLabel}.`,
    'Pour activer cette alerte, confirmez votre adresse en ouvrant ce lien :',
  ];
  const after = 'Si vous n’avez rien demandé, ignorez ce message : aucune alerte ne sera envoyée.';
  await deps.mailer.send({
    to: alert.email,
    subject: `Confirmez votre alerte Pavé : ${alert.areaLabel}`,
    text: [...lines, link, '', after].join('\n'),
    html: [
      ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
      `<p><a href="${escapeHtml(link)}">Confirmer mon alerte</a></p>`,
      `<p style="color:#555">${escapeHtml(after)}</p>`,
    ].join('\n'),
  });
  await markConfirmationSent(deps.db, alert.id);
  return { sent: true };
}

function renderDigest(deps: AlertMailDeps, alert: AlertRow, items: DigestItem[]): Mail {
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const unsubscribeToken = alertToken(deps.tokens, 'alert-unsubscribe', alert.id);
  const unsubscribePage = `${base}/alertes/desinscription?t=${unsubscribeToken}`;
  const oneClick = `${base}/api/alerts/unsubscribe/${unsubscribeToken}`;
  const sections = (['new', 'resolved'] as const).map((kind) => {
    const list = items.filter((i) => i.kind === kind);
    const total = list[0]?.total ?? 0;
    const title = kind === 'new' ? `Nouveaux signalements (${total})` : `Problèmes résolus (${total})`;
    const lines = list.map((i) => {
      const where = [i.address, i.areaName].filter(Boolean).join(', ');
      return { text: `${i.ref} — ${i.categoryFr}${where ? ` — ${where}` : ''}`, url: `${base}/r/${i.ref}` };
    });
    const rest = total - list.length;
    const more = rest > 0 ? `… et ${rest} ${rest > 1 ? 'autres' : 'autre'}, sur la carte : ${base}/` : null;
    return { total, title, lines, more };
  });
  const counts = sections.map((s) => s.total);
  // French: 1 is singular, 2 and more plural (a section with 0 is left out).
  const summary = [
    counts[0] ? `${counts[0]} ${counts[0] > 1 ? 'nouveaux' : 'nouveau'}` : null,
    counts[1] ? `${counts[1]} ${counts[1] > 1 ? 'résolus' : 'résolu'}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const intro = `Votre alerte : ${alert.areaLabel}.`;
  const footer = 'Ne plus recevoir cette alerte (un clic, sans compte) :';
  const text = [
    intro,
    ...sections
      .filter((s) => s.total > 0)
      .flatMap((s) => ['', s.title, ...s.lines.map((l) => `- ${l.text}\n  ${l.url}`), ...(s.more ? [s.more] : [])]),
    '',
    footer,
    unsubscribePage,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    ...sections
      .filter((s) => s.total > 0)
      .map(
        (s) =>
          `<h2 style="font-size:1.1em">${escapeHtml(s.title)}</h2><ul>${s.lines
            .map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a></li>`)
            .join('')}</ul>${s.more ? `<p>${escapeHtml(s.more)}</p>` : ''}`,
      ),
    `<p style="color:#555"><a href="${escapeHtml(unsubscribePage)}">Ne plus recevoir cette alerte</a></p>`,
  ].join('\n');
  return {
    to: alert.email,
    subject: `Pavé, ${alert.areaLabel} : ${summary}`,
    text,
    html,
    // RFC 8058: mail clients offer "unsubscribe" and POST here, without opening any page.
    headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/**
 * Mails each due alert of a frequency the reports filed and resolved in its area since its last
 * window, up to `until`. Each alert is locked, mailed and moved to `until` in one transaction, so a
 * retried or concurrent run of the same window skips it; nothing happened, no mail.
 */
export async function sendAlertDigests(
  deps: AlertMailDeps,
  frequency: AlertFrequency,
  until: Date,
): Promise<{ alerts: number; sent: number }> {
  const ids = await findDueAlertIds(deps.db, frequency, until);
  let sent = 0;
  for (const id of ids) {
    const isSent = await withTransaction(deps.db, async (tx) => {
      const alert = await lockDueAlert(tx, id, until);
      if (!alert) return false;
      const items = await findDigestItems(tx, id, { from: alert.coveredUntil!, until }, ALERT_LIMITS.maxDigestItems);
      if (items.length > 0) await deps.mailer.send(renderDigest(deps, alert, items));
      await markDigestDone(tx, id, until, items.length > 0);
      return items.length > 0;
    });
    if (isSent) sent += 1;
  }
  deps.logger.info({ frequency, until: until.toISOString(), alerts: ids.length, sent }, 'alert digests');
  return { alerts: ids.length, sent };
}

/**
 * An address someone typed but never confirmed is not theirs to keep: after this many days the
 * confirmation mail has long been read or lost, and the pending alert only holds a stranger's e-mail.
 */
export const UNCONFIRMED_ALERT_DAYS = 7;

/**
 * Deletes pending alerts older than `UNCONFIRMED_ALERT_DAYS`, and alerts unsubscribed that long ago
 * (hourly upkeep): an address nobody confirmed or that left is not kept. The unsubscribed row lives a
 * week so its link still answers "already unsubscribed". Returns how many rows went.
 */
export async function purgeUnconfirmedAlerts(db: Pool): Promise<number> {
  return deleteUnconfirmedAlerts(db, UNCONFIRMED_ALERT_DAYS);
}
