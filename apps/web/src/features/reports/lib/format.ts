import type { Locale } from '@pave/shared';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "il y a 3 jours", "à l'instant": how a resident says how old something is. */
export function formatAge(iso: string, locale: Locale, justNow: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (Math.abs(seconds) < 60) return justNow;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return justNow;
}

/** Distances are rounded to what the eye can check on the pavement: 5 m steps, then 10 m. */
export function roundDistance(meters: number): number {
  return meters < 100 ? Math.max(5, Math.round(meters / 5) * 5) : Math.round(meters / 10) * 10;
}

/** `supportCount` counts the "+1"s of other residents; the reporter makes one more person. */
export function countPeople(supportCount: number): number {
  return supportCount + 1;
}
