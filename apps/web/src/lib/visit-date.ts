import { CITY_TIME_ZONE } from '@pave/shared';

/** A moment (a planned visit, a line of history) as crews say it, in the city’s time: « 12 déc. à 08:00 ». */
export function formatVisit(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: CITY_TIME_ZONE }).format(
    date,
  );
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: CITY_TIME_ZONE }).format(
    date,
  );
  return `${day} ${locale.startsWith('fr') ? 'à' : 'at'} ${time}`;
}

/**
 * The visit a crew most often plans: the next working day at 8 a.m., as a `datetime-local` value
 * (the device's time, which for a crew is the city's). Saturdays and Sundays move to Monday.
 */
export function nextVisitInput(now: Date = new Date()): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0);
  while (day.getDay() === 0 || day.getDay() === 6) day.setDate(day.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}T08:00`;
}
