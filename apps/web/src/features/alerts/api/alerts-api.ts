import type { AlertLinkPurpose, AlertPending, AlertView, CreateAlert } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type { AlertLinkPurpose, AlertView, CreateAlert };

const post = (body?: unknown): RequestInit =>
  body === undefined
    ? { method: 'POST' }
    : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };

/** Asks for an alert; the server mails a confirmation link (nothing is sent before it is opened). */
export function subscribeAlert(alert: CreateAlert): Promise<AlertPending> {
  return requestJson<AlertPending>('/api/alerts', post(alert));
}

/** What a link from an alert mail opens; reading it changes nothing. */
export function fetchAlertLink(purpose: AlertLinkPurpose, token: string, signal?: AbortSignal): Promise<AlertView> {
  return requestJson<AlertView>(`/api/alerts/${purpose}/${encodeURIComponent(token)}`, { signal });
}

/** Confirms or stops the alert behind a mail link. */
export function actOnAlertLink(purpose: AlertLinkPurpose, token: string): Promise<AlertView> {
  return requestJson<AlertView>(`/api/alerts/${purpose}/${encodeURIComponent(token)}`, post());
}
