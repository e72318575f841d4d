/**
 * Deadline arithmetic: calendar hours, or working hours (Monday–Friday, 08:00–17:00 in the city's
 * time zone, French public holidays off). Pure and isomorphic, so the API, the worker and the web
 * app agree, and tests pin the clock by passing dates.
 */
import { CITY_TIME_ZONE } from './city-time';

export type DeadlineMode = 'calendar' | 'working';

export const WORKING_DAY = { startHour: 8, endHour: 17, timeZone: CITY_TIME_ZONE } as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Easter Sunday (Gregorian, anonymous algorithm) as a UTC date at midnight. */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const holidaysByYear = new Map<number, Set<string>>();

/** French public holidays of a year, as `YYYY-MM-DD` local dates (computed once per year). */
export function frenchPublicHolidays(year: number): Set<string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = computeFrenchPublicHolidays(year);
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

function computeFrenchPublicHolidays(year: number): Set<string> {
  const easter = easterSunday(year).getTime();
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
  return new Set([...fixed, iso(easter + DAY_MS), iso(easter + 39 * DAY_MS), iso(easter + 50 * DAY_MS)]);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(instant: number, timeZone: string): LocalParts {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!),
  };
}

/** The UTC instant of a wall-clock time in `timeZone` (DST-aware). */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  const offsetAt = (t: number) => {
    const p = localParts(t, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

/** When a report filed at `start` is due, given its category's hours and mode. */
export function computeDeadline(start: Date, hours: number, mode: DeadlineMode): Date {
  if (mode === 'calendar') return new Date(start.getTime() + hours * HOUR_MS);
  const { startHour, endHour, timeZone } = WORKING_DAY;
  let remaining = hours * HOUR_MS;
  let cursor = start.getTime();
  // Walk working windows day by day; at most a few hundred iterations for a month of working hours.
  for (let guard = 0; guard < 3660; guard += 1) {
    const p = localParts(cursor, timeZone);
    const dayKey = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    const isWorkingDay = p.weekday >= 1 && p.weekday <= 5 && !frenchPublicHolidays(p.year).has(dayKey);
    const windowStart = zonedInstant(p.year, p.month, p.day, startHour, timeZone);
    const windowEnd = zonedInstant(p.year, p.month, p.day, endHour, timeZone);
    if (isWorkingDay && cursor < windowEnd) {
      const from = Math.max(cursor, windowStart);
      const available = windowEnd - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
    // Next local day at midnight (noon + 12 h avoids DST edge cases when stepping).
    cursor = zonedInstant(p.year, p.month, p.day, 12, timeZone) + 12 * HOUR_MS;
    const next = localParts(cursor, timeZone);
    cursor = zonedInstant(next.year, next.month, next.day, 0, timeZone);
  }
  throw new Error('deadline beyond ten years of working days');
}
