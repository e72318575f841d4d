import { ApiError } from './api-client';

const PREFIX = 'pave.offline.';

/**
 * Wraps a loader of reference data (categories, service areas, config) so that a phone with no
 * network still gets the last copy it saw: a resident can then fill in a report offline, and the
 * sender delivers it when the network is back. Only a network failure falls back; an HTTP error is
 * the server's answer and is passed on. Never used for reports or statuses, which must be live.
 */
export function withOfflineCopy<T>(key: string, load: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      const value = await load();
      try {
        localStorage.setItem(PREFIX + key, JSON.stringify(value));
      } catch {
        // Storage full or disabled (private mode): the copy is a comfort, not a requirement.
      }
      return value;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'NETWORK') throw error;
      const stored = readCopy<T>(key);
      if (stored === null) throw error;
      return stored;
    }
  };
}

function readCopy<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}
