import type { MessageKey } from '../../i18n/fr';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];

const sameDays = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort().every((day, i) => day === b[i]);

/**
 * A rule's time window in words, as an administrator says it: "le week-end, la nuit 20:00–07:00".
 * An empty string when the rule applies at any time.
 */
export function describeWindow(
  rule: { days: number[] | null; timeFrom: string | null; timeTo: string | null },
  t: Translate,
): string {
  const parts: string[] = [];
  const days = rule.days;
  if (days && days.length > 0 && days.length < 7) {
    if (sameDays(days, WEEKEND)) parts.push(t('admin.window.weekend'));
    else if (sameDays(days, WEEKDAYS)) parts.push(t('admin.window.weekdays'));
    else {
      const names = [...days].sort().map((day) => t(`admin.day.${day}` as MessageKey));
      parts.push(t('admin.window.days', { days: names.join(', ') }));
    }
  }
  if (rule.timeFrom && rule.timeTo) {
    // A window that wraps past midnight is a night shift; the API reads both ends in Paris time.
    const key = rule.timeFrom > rule.timeTo ? 'admin.window.night' : 'admin.window.hours';
    parts.push(t(key, { from: rule.timeFrom, to: rule.timeTo }));
  }
  return parts.join(', ');
}

/** "Self-intersection[2.3521 48.8566]" (PostGIS's reason) → the point, `[lon, lat]`. */
export function findReasonPoint(message: string): [number, number] | null {
  const match = /\[(-?\d+(?:\.\d+)?(?:e-?\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)\]/i.exec(message);
  if (!match) return null;
  const lon = Number(match[1]);
  const lat = Number(match[2]);
  return Number.isFinite(lon) && Number.isFinite(lat) ? [lon, lat] : null;
}
