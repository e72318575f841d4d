import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { fetchQueue, type QueueItem } from '../api/staff-api';
import { StaffReport } from './staff-report';

const STATUS_FILTERS = {
  open: 'new,acknowledged,scheduled,in_progress,reopened',
  new: 'new,reopened',
  closed: 'resolved,rejected,duplicate,transferred',
} as const;

/** The queue, late first then by priority and deadline (the server's order), with the selected report below. */
export function StaffQueue({ canAct }: { canAct: boolean }) {
  const { t, formatDate } = useI18n();
  const [filter, setFilter] = useState<keyof typeof STATUS_FILTERS>('open');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchQueue({ status: STATUS_FILTERS[filter], q: query }, controller.signal).then(
        ({ reports }) => {
          setItems(reports);
          setError(false);
        },
        (caught: unknown) => {
          if (!isAbortError(caught)) setError(true);
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [filter, query, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  // Live: every public change (a new report, a status change) refreshes the queue, so nobody reloads.
  // A new report reaches a team's queue only once the worker has routed it (well under a second),
  // and routing is not a public event: refresh at once, then once more a moment later.
  useEffect(() => {
    const events = new EventSource('/api/events');
    const timers: ReturnType<typeof setTimeout>[] = [];
    events.addEventListener('report', () => {
      timers.splice(0).forEach(clearTimeout);
      timers.push(setTimeout(refresh, 150), setTimeout(refresh, 1_200));
    });
    return () => {
      timers.forEach(clearTimeout);
      events.close();
    };
  }, [refresh]);

  return (
    <div className="staff-queue">
      <div className="staff-filters">
        <label className="field-label" htmlFor="staff-filter">
          {t('staff.filter.status')}
        </label>
        <select
          id="staff-filter"
          className="input"
          value={filter}
          onChange={(e) => setFilter(e.target.value as keyof typeof STATUS_FILTERS)}
        >
          {(Object.keys(STATUS_FILTERS) as (keyof typeof STATUS_FILTERS)[]).map((key) => (
            <option key={key} value={key}>
              {t(`staff.filter.${key}`)}
            </option>
          ))}
        </select>
        <label className="field-label" htmlFor="staff-search">
          {t('staff.search')}
        </label>
        <input
          id="staff-search"
          className="input"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {t('staff.queue.failed')}
        </p>
      )}
      {items && items.length === 0 && <p>{t('staff.queue.empty')}</p>}
      <ul className="staff-list" aria-label={t('staff.queue.label')}>
        {items?.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className={`staff-item${selected === item.id ? ' is-selected' : ''}`}
              aria-expanded={selected === item.id}
              onClick={() => setSelected(selected === item.id ? null : item.id)}
            >
              <span className="staff-item-ref">{item.ref}</span>
              {item.isLate && <span className="staff-late">{t('staff.late')}</span>}
              <span className="staff-item-category">{item.category.label}</span>
              <span className="staff-item-meta">
                {item.area ?? ''} · {formatDate(item.createdAt)} · P{item.priority}
              </span>
            </button>
            {selected === item.id && <StaffReport id={item.id} canAct={canAct} onChanged={refresh} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
