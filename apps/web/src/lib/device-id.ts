const STORAGE_KEY = 'pave.device';

let fallback: string | null = null;

/**
 * A random id for this browser, sent as `X-Pave-Device` so the server can count one "+1" per
 * phone and rate-limit without knowing who the resident is. Not a secret and not an identity.
 */
export function getDeviceId(): string {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored) return stored;
    const created = crypto.randomUUID();
    localStorage.setItem(STORAGE_KEY, created);
    return created;
  } catch {
    // Storage disabled: one id for this visit is the best we can do.
    fallback ??= crypto.randomUUID();
    return fallback;
  }
}
