import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { fetchQueue, type QueueItem, type StaffUser } from '../api/staff-api';
import { useLiveQueue } from '../hooks/use-live-queue';
import { keepOpenItem, type ShownItem } from '../queue-items';
import { toQueueFilter, useQueueState } from '../hooks/use-queue-state';
import { useMediaQuery } from '../hooks/use-media-query';
import { useOpenReport } from '../hooks/use-open-report';
import { QueueLine } from './queue-line';
import { StaffBulkBar } from './staff-bulk-bar';
import { StaffFilters } from './staff-filters';
import { StaffMap } from './staff-map';
import { StaffReport } from './staff-report';

/** From this width the list, the opened report and the map stand side by side. */
export const WIDE_QUERY = '(min-width: 1024px)';

/**
 * The queue, late first then by priority and deadline (the server's order). On a wide screen the
 * list, the opened report and the map stand side by side; on a phone it is a list or a map, and an
 * opened report is a screen of its own (Back returns to the list where it was). It follows the
 * server live (GET /api/staff/events).
 */
export function StaffQueue({ user }: { user: StaffUser }) {
  const { t, formatDate } = useI18n();
  const [state, update, reset] = useQueueState();
  const [items, setItems] = useState<ShownItem[] | null>(null);
  const isWide = useMediaQuery(WIDE_QUERY);
  const { openId, open, close, forget } = useOpenReport(!isWide);
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
  useEffect(() => {
    setItems((current) => current?.filter((item) => !item.hasLeft || item.id === openId) ?? null);
  }, [openId]);
  const openReport = useCallback((id: string | null) => (id === null ? close() : open(id)), [open, close]);
  const openItem = items?.find((item) => item.id === openId) ?? null;
  // A report named in the URL that this list does not hold (another filter, gone since): the list.
  const isMissing = items !== null && openId !== null && openItem === null;
  useEffect(() => {
    if (isMissing) forget();
  }, [isMissing, forget]);
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

  const filters = (
    <StaffFilters
      state={state}
      onChange={update}
      onReset={reset}
      canSeeTeams={user.role !== 'crew'}
      canBeAssigned={user.role === 'crew'}
    />
  );
  const toolbar = (
    <div className="staff-toolbar">
      <p className="staff-count" aria-live="polite">
        {items ? t('staff.queue.count', { count: inQueue }) : t('common.loading')}
      </p>
      {!isWide && (
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
      )}
      {canAct && (isWide || state.view === 'list') && (
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
  );
  const notices = (
    <>
      {error && (
        <p className="form-error" role="alert">
          {t('staff.queue.failed')}
        </p>
      )}
      {items && inQueue === 0 && <p className="staff-empty">{t('staff.queue.empty')}</p>}
    </>
  );
  const list = (
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
        </li>
      ))}
    </ul>
  );
  const bulkBar = isSelecting && (
    <StaffBulkBar selected={selected} items={items ?? []} canAssign={user.role !== 'crew'} onDone={refresh} />
  );

  if (isWide) {
    return (
      <div className={`staff-queue staff-workspace${isSelecting ? ' is-selecting' : ''}`}>
        <div className="staff-pane staff-pane--list">
          {filters}
          {toolbar}
          {notices}
          {list}
        </div>
        <section className="staff-pane staff-pane--detail" aria-label={t('staff.detail.label')}>
          {openItem ? (
            <>
              <h2 className="staff-detail-title">
                {openItem.ref} · {openItem.category.label}
              </h2>
              {detail(openItem)}
            </>
          ) : (
            <p className="staff-detail-empty">{t('staff.detail.empty')}</p>
          )}
        </section>
        <div className="staff-pane staff-pane--map">
          <StaffMap items={items ?? []} selectedId={openId} onOpen={openReport} />
        </div>
        {bulkBar}
      </div>
    );
  }

  // A phone: the opened report takes the whole screen. The list stays mounted under it, hidden, so
  // it comes back as it was (the map is drawn again: Leaflet cannot measure a hidden map).
  return (
    <>
      <div className={`staff-queue${isSelecting ? ' is-selecting' : ''}`} hidden={openItem !== null}>
        {filters}
        {toolbar}
        {notices}
        {state.view === 'map'
          ? openItem === null && <StaffMap items={items ?? []} selectedId={openId} onOpen={openReport} />
          : list}
        {bulkBar}
      </div>
      {openItem && (
        <ReportScreen
          title={`${openItem.ref} · ${openItem.category.label}`}
          isFromMap={state.view === 'map'}
          onBack={close}
        >
          {detail(openItem)}
        </ReportScreen>
      )}
    </>
  );
}

/** A phone's screen for one report: the way back first, then the report under its title, which takes the focus. */
function ReportScreen({
  title,
  isFromMap,
  onBack,
  children,
}: {
  title: string;
  isFromMap: boolean;
  onBack: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus({ preventScroll: true }), [title]);
  return (
    <section className="staff-report-screen" aria-labelledby="staff-report-screen-title">
      <button type="button" className="button button--secondary staff-back" onClick={onBack}>
        <span aria-hidden="true">←</span> {isFromMap ? t('staff.detail.backToMap') : t('staff.detail.backToList')}
      </button>
      <h2 id="staff-report-screen-title" ref={titleRef} className="staff-detail-title" tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}
