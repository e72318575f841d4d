import type {
  AccountDeleted,
  CitizenLogout,
  CitizenSession,
  ClaimableReports,
  ClaimedReports,
  LinkTokenBody,
  Locale,
  MagicLinkRequest,
  MagicLinkSent,
  MagicLinkSession,
  MyReports,
  OidcProviders,
  UpdateCitizenProfile,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';
import { getDeviceId } from '../../../lib/device-id';

export type { CitizenProfile, MyReport, OidcProviderInfo } from '@pave/shared';

const jsonHeaders = { 'Content-Type': 'application/json' };
// Claiming proves "this browser filed them" with the id the report form already sends.
const deviceHeader = () => ({ 'X-Pave-Device': getDeviceId() });

/** The signed-in citizen; rejects with `AUTH_REQUIRED` when nobody is. */
export function fetchProfile(signal?: AbortSignal): Promise<CitizenSession> {
  return requestJson('/api/me', { signal });
}

export function fetchProviders(signal?: AbortSignal): Promise<OidcProviders> {
  return requestJson('/api/me/providers', { signal });
}

/** Where the browser goes to sign in with a provider; the API redirects it on. */
export function providerStartUrl(providerId: string, returnTo: string): string {
  return `/api/me/oidc/${encodeURIComponent(providerId)}/start?returnTo=${encodeURIComponent(returnTo)}`;
}

export function requestMagicLink(email: string, language: Locale, returnTo: string): Promise<MagicLinkSent> {
  const body: MagicLinkRequest = { email: email.trim(), language, returnTo };
  return requestJson('/api/me/magic-link', { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) });
}

export function verifyMagicLink(token: string): Promise<MagicLinkSession> {
  return requestJson('/api/me/magic-link/verify', {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ token } satisfies LinkTokenBody),
  });
}

export function updateProfile(patch: UpdateCitizenProfile): Promise<CitizenSession> {
  return requestJson('/api/me', { method: 'PATCH', headers: jsonHeaders, body: JSON.stringify(patch) });
}

/** Signs out here; `providerLogoutUrl` is where to go to sign out of the provider used, if any. */
export function logOut(): Promise<CitizenLogout> {
  return requestJson('/api/me/logout', { method: 'POST' });
}

export function deleteAccount(): Promise<AccountDeleted> {
  return requestJson('/api/me', { method: 'DELETE' });
}

export function fetchMyReports(signal?: AbortSignal): Promise<MyReports> {
  return requestJson('/api/me/reports', { signal });
}

export function fetchClaimable(signal?: AbortSignal): Promise<ClaimableReports> {
  return requestJson('/api/me/claim', { signal, headers: deviceHeader() });
}

export function claimReports(): Promise<ClaimedReports> {
  return requestJson('/api/me/claim', { method: 'POST', headers: deviceHeader() });
}
