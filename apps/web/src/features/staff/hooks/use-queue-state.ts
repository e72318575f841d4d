import { useCallback, useState } from 'react';
import { replaceSearch } from '../../../lib/router';
import type { QueueFilter } from '../api/staff-api';

/** The status chips, each a set of statuses. */
export const STATUS_FILTERS = {
  open: 'new,acknowledged,scheduled,in_progress,reopened',
  new: 'new,reopened',
  closed: 'resolved,rejected,duplicate,transferred',
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

/** The queue's filters with a status chip instead of a status list, and the list or map view. */
export interface QueueState extends Omit<QueueFilter, 'status'> {
  status: StatusFilter;
  view: 'list' | 'map';
}

const DEFAULTS: QueueState = {
  status: 'open',
  category: '',
  area: '',
  team: '',
  late: false,
  mine: false,
  q: '',
  view: 'list',
};

/** Reads the queue's filters from `/staff?…`, ignoring what it does not know. */
export function readQueueState(search: string): QueueState {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const text = (key: string) => (params.get(key) ?? '').slice(0, 200);
  return {
    status: status in STATUS_FILTERS ? (status as StatusFilter) : DEFAULTS.status,
    category: text('category'),
    area: text('area'),
    team: text('team'),
    late: params.get('late') === '1',
    mine: params.get('assignee') === 'me',
    q: text('q'),
    view: params.get('view') === 'map' ? 'map' : 'list',
  };
}

/** The filters as a query string: only what differs from the defaults, so a plain `/staff` stays plain. */
export function toSearchParams(state: QueueState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.status !== DEFAULTS.status) params.set('status', state.status);
  for (const key of ['category', 'area', 'team', 'q'] as const) if (state[key]) params.set(key, state[key]);
  if (state.late) params.set('late', '1');
  if (state.mine) params.set('assignee', 'me');
  if (state.view === 'map') params.set('view', 'map');
  return params;
}

export function toQueueFilter(state: QueueState): QueueFilter {
  const { status, view: _view, ...rest } = state;
  return { ...rest, status: STATUS_FILTERS[status] };
}

/** How many filters beyond the status chips are set (shown on the "more filters" toggle). */
export function countExtraFilters(state: QueueState): number {
  return [state.category, state.area, state.team].filter(Boolean).length;
}

/**
 * The queue's filters and view, kept in the URL query so a filtered queue can be bookmarked,
 * shared and survives a reload.
 */
export function useQueueState(): [QueueState, (patch: Partial<QueueState>) => void, () => void] {
  const [state, setState] = useState(() => readQueueState(window.location.search));
  const update = useCallback((patch: Partial<QueueState>) => {
    setState((current) => {
      const next = { ...current, ...patch };
      replaceSearch(toSearchParams(next));
      return next;
    });
  }, []);
  const reset = useCallback(() => {
    setState((current) => {
      const next = { ...DEFAULTS, view: current.view };
      replaceSearch(toSearchParams(next));
      return next;
    });
  }, []);
  return [state, update, reset];
}
