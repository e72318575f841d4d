const STORAGE_KEY = 'pave.myReports';
// Enough for years of occasional reports; the oldest links go first.
const MAX_ENTRIES = 50;

/** A report's private link kept on this phone (localStorage), not an API answer like shared's MyReport. */
export interface RememberedReport {
  ref: string;
  trackingUrl: string;
}

export function readMyReports(): RememberedReport[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(
          (entry): entry is RememberedReport =>
            !!entry && typeof entry.ref === 'string' && typeof entry.trackingUrl === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** Keeps the private link of a report on this phone, so "is it fixed?" needs no account. */
export function rememberMyReport(entry: RememberedReport): void {
  try {
    const others = readMyReports().filter((existing) => existing.ref !== entry.ref);
    localStorage.setItem(STORAGE_KEY, JSON.stringify([entry, ...others].slice(0, MAX_ENTRIES)));
  } catch {
    // Storage disabled: the link is still on screen, and in the e-mail if one was given.
  }
}
