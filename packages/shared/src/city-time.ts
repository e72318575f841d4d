/**
 * The city's clock. Days in filters, periods and figures are the city's calendar days, and the
 * database reads them with `AT TIME ZONE` the same zone. One town, one zone for now (issue #19).
 */
export const CITY_TIME_ZONE = 'Europe/Paris';

const DAY_MS = 86_400_000;
const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE });

/** The city's calendar day of an instant, `YYYY-MM-DD`. */
export function cityDay(at: Date): string {
  return dayFormatter.format(at);
}

/**
 * Whether `raw` is a real calendar day written `YYYY-MM-DD` (not 2026-02-30), from year 0001:
 * year 0000 is a date to JavaScript but not to PostgreSQL, which has no year 0 (a 500 once).
 */
export function isCalendarDay(raw: string): boolean {
  if (!DAY_FORMAT.test(raw) || raw < '0001') return false;
  const date = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === raw;
}

/** The day `days` after `day` (before, when negative), both `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
