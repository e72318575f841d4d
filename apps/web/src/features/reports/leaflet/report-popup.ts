import { PUBLIC_STATUS, type PublicReport, type ReportStatus, toneOf } from '@pave/shared';
import type { I18n } from '../../../i18n';
import { requestJson } from '../../../lib/api-client';
import { isPlainClick, navigate } from '../../../lib/router';
import type { CategoryEntry } from '../../categories/api/categories-api';

/** What the map knows about a report before the card loads the rest. */
export interface ReportSummary {
  id: string;
  status: string;
  category: string;
  ref?: string;
  createdAt?: string;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  node.className = className;
  // textContent, never innerHTML: labels come from the network.
  if (text !== undefined) node.textContent = text;
  return node;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "il y a 3 jours" / "3 days ago". */
export function formatAge(iso: string, locale: string, now = Date.now()): string {
  const elapsed = now - Date.parse(iso);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return format.format(0, 'minute');
}

/**
 * The card of a report on the map, built as DOM because Leaflet owns the popup: category, status,
 * age and link at once, then thumbnail, reference and support count once the report is loaded.
 * Reports of sensitive categories are shown without their photo.
 */
export function renderReportPopup(
  summary: ReportSummary,
  i18n: I18n,
  categories: Map<string, CategoryEntry> | null,
): HTMLElement {
  const root = element('div', 'report-popup__body');
  root.dataset.reportId = summary.id;
  const thumb = element('div', 'report-popup__thumb');
  thumb.hidden = true;
  const ref = element('p', 'report-popup__ref', summary.ref ?? '');
  const entry = categories?.get(summary.category);
  const category = element('p', 'report-popup__category', entry ? i18n.label(entry.category.label) : summary.category);
  const statusLabel = PUBLIC_STATUS[summary.status as ReportStatus]?.label;
  const badge = element(
    'span',
    `status-badge status-badge--${toneOf(summary.status)}`,
    statusLabel ? i18n.label(statusLabel) : summary.status,
  );
  const age = element('p', 'report-popup__date');
  const setAge = (iso: string) => {
    age.textContent = i18n.t('map.card.age', { age: formatAge(iso, i18n.locale), date: i18n.formatDate(iso, 'short') });
  };
  if (summary.createdAt) setAge(summary.createdAt);
  const supports = element('p', 'report-popup__supports');
  supports.hidden = true;
  // The town the report lies in, linking to its page (issue #19): known once the report is loaded.
  const town = element('p', 'report-popup__town');
  town.hidden = true;

  const href = `/reports/${encodeURIComponent(summary.id)}`;
  const link = element('a', 'report-popup__link', i18n.t('map.popup.link'));
  link.href = href;
  link.addEventListener('click', (event) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    navigate(href);
  });
  root.append(thumb, ref, category, badge, age, town, supports, link);

  requestJson<PublicReport & { supportCount?: number }>(`/api/reports/${encodeURIComponent(summary.id)}`)
    .then((report) => {
      ref.textContent = report.ref;
      setAge(report.createdAt);
      const photo = report.photos.find((p) => p.urls !== null);
      const isSensitive = entry?.category.isSensitive ?? true;
      if (photo?.urls && !isSensitive) {
        const img = element('img', 'report-popup__img');
        img.src = photo.urls.thumb;
        img.alt = i18n.t('map.card.photo', { category: category.textContent ?? '' });
        img.loading = 'lazy';
        thumb.append(img);
        thumb.hidden = false;
      }
      if (report.town) {
        const townHref = `/villes/${encodeURIComponent(report.town.code)}`;
        const townLink = element('a', 'report-popup__town-link', report.town.name);
        townLink.href = townHref;
        townLink.dataset.testid = 'popup-town';
        townLink.addEventListener('click', (event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          navigate(townHref);
        });
        town.append(townLink);
        town.hidden = false;
      }
      if (typeof report.supportCount === 'number' && report.supportCount > 0) {
        supports.textContent = i18n.t('map.card.supports', { n: report.supportCount });
        supports.hidden = false;
      }
    })
    .catch(() => {
      // The card already says what matters; the link leads to the full page.
    });
  return root;
}
