import type { Locale } from '@pave/shared';

const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Whole numbers with the locale's grouping: 12 345 in French, 12,345 in English. */
export function formatCount(n: number, locale: Locale): string {
  return n.toLocaleString(INTL[locale]);
}

/**
 * A duration given in hours, in the unit a reader expects: minutes under an hour, hours under two days,
 * days beyond ("45 min", "3 h", "2,5 j"). One decimal at most, so columns stay short.
 */
export function formatHours(hours: number, locale: Locale): string {
  const number = (value: number) => value.toLocaleString(INTL[locale], { maximumFractionDigits: value < 10 ? 1 : 0 });
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${number(hours)} h`;
  return `${number(hours / 24)} ${locale === 'fr' ? 'j' : 'd'}`;
}

/** A share as a whole percentage with the locale's spacing: "82 %" in French, "82%" in English. */
export function formatPercent(rate: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL[locale], { style: 'percent', maximumFractionDigits: 0 }).format(rate);
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
