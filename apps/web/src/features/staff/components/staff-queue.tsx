import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { fetchQueue, type QueueItem, type StaffUser } from '../api/staff-api';
import { useLiveQueue } from '../hooks/use-live-queue';
import { keepOpenItem, type ShownItem } from '../queue-items';
import { toQueueFilter, useQueueState } from '../hooks/use-queue-state';
import { QueueLine } from './queue-line';
import { StaffBulkBar } from './staff-bulk-bar';
import { StaffFilters } from './staff-filters';
import { StaffMap } from './staff-map';
import { StaffReport } from './staff-report';

/**
 * The queue, late first then by priority and deadline (the server's order), as a list or a map,
 * with the opened report below its line. It follows the server live (GET /api/staff/events).
 */
export function StaffQueue({ user }: { user: StaffUser }) {
  const { t, formatDate } = useI18n();
  const [state, update, reset] = useQueueState();
  const [items, setItems] = useState<ShownItem[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const openIdRef = useRef(openId);
  openIdRef.current = openId;
  const [error, setError] = useState(false);
  const [version, setVersion] = useState(0);
  const [isSelecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const canAct = user.role !== 'council';

  const { status, category, area, team, late, mine, q } = state;
  useEffect(() => {
    const controller = new AbortController();
    fetchQueue(toQueueFilter({ status, category, area, team, late, mine, q, view: 'list' }), controller.signal).then(
      ({ reports }) => {
        setItems((previous) => keepOpenItem(previous, reports, openIdRef.current));
        setError(false);
        // A selection only holds what is still in view.
        setSelected((current) => {
          const visible = new Set(reports.map((r) => r.id));
          const kept = [...current].filter((id) => visible.has(id));
          return kept.length === current.size ? current : new Set(kept);
        });
      },
      (caught: unknown) => {
        if (!isAbortError(caught)) setError(true);
      },
    );
    return () => controller.abort();
  }, [status, category, area, team, late, mine, q, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  useLiveQueue(refresh);

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const stopSelecting = () => {
    setSelecting(false);
    setSelected(new Set());
  };

  // Closing a report that has left the queue, or opening another, drops it from view at once.
  const openReport = useCallback((id: string | null) => {
    setOpenId(id);
    setItems((current) => current?.filter((item) => !item.hasLeft || item.id === id) ?? null);
  }, []);
  const close = useCallback(() => openReport(null), [openReport]);
  const openItem = items?.find((item) => item.id === openId) ?? null;
  const inQueue = items?.filter((item) => !item.hasLeft).length ?? 0;
  const detail = (item: QueueItem) => (
    <StaffReport
      key={item.id}
      id={item.id}
      item={item}
      user={user}
      canAct={canAct}
      onChanged={(changes) => {
        if (changes) setItems((current) => current?.map((i) => (i.id === item.id ? { ...i, ...changes } : i)) ?? null);
        refresh();
      }}
      onClose={close}
    />
  );

  return (
    <div className={`staff-queue${isSelecting ? ' is-selecting' : ''}`}>
      <StaffFilters
        state={state}
        onChange={update}
        onReset={reset}
        canSeeTeams={user.role !== 'crew'}
        canBeAssigned={user.role === 'crew'}
      />
      <div className="staff-toolbar">
        <p className="staff-count" aria-live="polite">
          {items ? t('staff.queue.count', { count: inQueue }) : t('common.loading')}
        </p>
        <div className="staff-view" role="group" aria-label={t('staff.view.label')}>
          {(['list', 'map'] as const).map((view) => (
            <button
              key={view}
              type="button"
              className={`segment-button${state.view === view ? ' is-checked' : ''}`}
              aria-pressed={state.view === view}
              onClick={() => update({ view })}
            >
              {t(`staff.view.${view}`)}
            </button>
          ))}
        </div>
        {canAct && state.view === 'list' && (
          <button
            type="button"
            className="button button--secondary staff-select-toggle"
            aria-pressed={isSelecting}
            onClick={() => (isSelecting ? stopSelecting() : setSelecting(true))}
          >
            {isSelecting ? t('staff.select.stop') : t('staff.select.start')}
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {t('staff.queue.failed')}
        </p>
      )}
      {items && inQueue === 0 && <p className="staff-empty">{t('staff.queue.empty')}</p>}
      {state.view === 'map' ? (
        <>
          <StaffMap items={items ?? []} selectedId={openId} onOpen={openReport} />
          {openItem && (
            <div className="staff-map-detail">
              <QueueLine item={openItem} isOpen onToggle={close} formatDate={formatDate} />
              {detail(openItem)}
            </div>
          )}
        </>
      ) : (
        <ul className="staff-list" aria-label={t('staff.queue.label')}>
          {isSelecting && items && items.length > 0 && (
            <li className="staff-select-all">
              <label className="staff-check">
                <input
                  type="checkbox"
                  checked={selected.size === items.length}
                  onChange={(e) => setSelected(new Set(e.target.checked ? items.map((i) => i.id) : []))}
                />
                {t('staff.select.all')}
              </label>
            </li>
          )}
          {items?.map((item) => (
            <li key={item.id} className="staff-row">
              {isSelecting && (
                <label className="staff-check">
                  <input type="checkbox" checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                  <span className="visually-hidden">{t('staff.select.item', { ref: item.ref })}</span>
                </label>
              )}
              <QueueLine
                item={item}
                isOpen={!isSelecting && openId === item.id}
                onToggle={() => (isSelecting ? toggle(item.id) : openReport(openId === item.id ? null : item.id))}
                formatDate={formatDate}
              />
              {!isSelecting && openId === item.id && detail(item)}
            </li>
          ))}
        </ul>
      )}
      {isSelecting && (
        <StaffBulkBar selected={selected} items={items ?? []} canAssign={user.role !== 'crew'} onDone={refresh} />
      )}
    </div>
  );
}
