import { PUBLIC_STATUS, type ReportStatus } from '@pave/shared';
import type { I18n } from '../../../i18n';
import { isPlainClick, navigate } from '../../../lib/router';
import type { CategoryEntry } from '../../categories/api/categories-api';
import type { ReportFeature } from './report-markers';
import { toneOf } from '../report-status';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  node.className = className;
  // textContent, never innerHTML: labels come from the network.
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The popup of a report marker, built as DOM because Leaflet owns the popup. */
export function renderReportPopup(
  feature: ReportFeature,
  i18n: I18n,
  categories: Map<string, CategoryEntry> | null,
): HTMLElement {
  const { ref, status, category, createdAt } = feature.properties;
  const root = element('div', 'report-popup__body');
  root.append(element('p', 'report-popup__ref', ref));

  const entry = categories?.get(category);
  root.append(element('p', 'report-popup__category', entry ? i18n.label(entry.category.label) : category));

  const statusLabel = PUBLIC_STATUS[status as ReportStatus]?.label;
  const badge = element(
    'span',
    `status-badge status-badge--${toneOf(status)}`,
    statusLabel ? i18n.label(statusLabel) : status,
  );
  root.append(badge);
  root.append(
    element('p', 'report-popup__date', i18n.t('map.popup.since', { date: i18n.formatDate(createdAt, 'short') })),
  );

  const href = `/reports/${encodeURIComponent(feature.id)}`;
  const link = element('a', 'report-popup__link', i18n.t('map.popup.link'));
  link.href = href;
  link.addEventListener('click', (event) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    navigate(href);
  });
  root.append(link);
  return root;
}
