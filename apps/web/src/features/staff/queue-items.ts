import type { QueueItem } from './api/staff-api';

/** A line of the queue; `hasLeft` marks the opened report after a change took it out of the filter. */
export type ShownItem = QueueItem & { hasLeft?: boolean };

/**
 * The queue as just fetched, keeping the opened report where it was when it no longer matches the
 * filter (just resolved, say): the crew member sees the outcome of their action until they close
 * it, instead of the report vanishing under their finger.
 */
export function keepOpenItem(
  previous: readonly ShownItem[] | null,
  next: readonly QueueItem[],
  openId: string | null,
): ShownItem[] {
  if (!openId || !previous || next.some((item) => item.id === openId)) return [...next];
  const index = previous.findIndex((item) => item.id === openId);
  if (index < 0) return [...next];
  const kept: ShownItem[] = [...next];
  kept.splice(Math.min(index, kept.length), 0, { ...previous[index]!, hasLeft: true });
  return kept;
}
