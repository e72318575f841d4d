import type { Locale } from '@pave/shared';

const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Whole numbers with the locale's grouping: 12 345 in French, 12,345 in English. */
export function formatCount(n: number, locale: Locale): string {
  return n.toLocaleString(INTL[locale]);
}

/**
 * A duration given in hours, as a reader says it: minutes under an hour, whole hours under a day,
 * days and hours under ten days, whole days beyond ("45 min", "3 h", "1 j 4 h", "12 j"). Decimals of
 * days ("2,5 j") read badly, and rounding them to whole days made every median read "2 j".
 */
export function formatHours(hours: number, locale: Locale): string {
  const day = locale === 'fr' ? 'j' : 'd';
  const minutes = Math.round(hours * 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  const wholeHours = Math.round(hours);
  if (wholeHours < 24) return `${wholeHours} h`;
  if (wholeHours < 240) {
    const days = Math.floor(wholeHours / 24);
    const rest = wholeHours - days * 24;
    return rest === 0 ? `${days} ${day}` : `${days} ${day} ${rest} h`;
  }
  return `${formatCount(Math.round(hours / 24), locale)} ${day}`;
}

/**
 * A share as a whole percentage with the locale's spacing: "82 %" in French, "82%" in English. A share
 * that is not zero never rounds to "0 %": 2 out of 623 reads "< 1 %".
 */
export function formatPercent(rate: number, locale: Locale): string {
  const percent = new Intl.NumberFormat(INTL[locale], { style: 'percent', maximumFractionDigits: 0 });
  if (rate > 0 && rate < 0.005) return `< ${percent.format(0.01)}`;
  if (rate < 1 && rate > 0.995) return `> ${percent.format(0.99)}`;
  return percent.format(rate);
}

/** Euro cents as "12 345 €" (whole euros past 100 €, cents below). */
export function formatEuros(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL[locale], {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: Math.abs(cents) >= 10_000 ? 0 : 2,
  }).format(cents / 100);
}

/** `YYYY-MM` as a short month name: "mars 2025". */
export function formatMonth(month: string, locale: Locale): string {
  const date = new Date(`${month}-01T12:00:00Z`);
  return new Intl.DateTimeFormat(INTL[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** `YYYY-MM-DD` as a short day: "3 mars 2025". */
export function formatDay(day: string, locale: Locale): string {
  const date = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(INTL[locale], {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** Every `YYYY-MM` month met by a `from`..`to` period, oldest first. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (let guard = 0; guard < 120; guard += 1) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) break;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
