import { canApplyBulkAction, PUBLIC_STATUS } from '@pave/shared';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SelectField, TextareaField } from '../../../components/form-field';
import { useI18n, type MessageKey } from '../../../i18n';
import { bulkAction, fetchAssignees, type Assignee, type BulkAction, type QueueItem } from '../api/staff-api';

/** A report the last action left as it was, and why, in plain words. */
interface Refusal {
  id: string;
  ref: string;
  reason: string;
}

// The refusals a crew can act on get their own words; any other code reads as a generic refusal.
const REASONS: Record<string, MessageKey> = {
  TRANSITION_NOT_ALLOWED: 'staff.bulk.reason.TRANSITION_NOT_ALLOWED',
  REPORT_NOT_FOUND: 'staff.bulk.reason.REPORT_NOT_FOUND',
  REPORT_CLOSED: 'staff.bulk.reason.REPORT_CLOSED',
  ASSIGNEE_INVALID: 'staff.bulk.reason.ASSIGNEE_INVALID',
  FORBIDDEN: 'staff.bulk.reason.FORBIDDEN',
};

/**
 * The bar of select mode: acknowledge, assign or resolve the selected reports at once. An action is
 * offered only when it applies to at least one of them (the state machine, as the server applies it),
 * says how many when not to all, and runs on those only. The answer lists every report left as it
 * was, by reference, with the reason. The bar reserves its height below the list, so it never hides
 * the last rows.
 */
export function StaffBulkBar({
  selected,
  items,
  canAssign,
  onDone,
}: {
  selected: ReadonlySet<string>;
  items: QueueItem[];
  canAssign: boolean;
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const [pending, setPending] = useState<BulkAction | null>(null);
  const [assignees, setAssignees] = useState<(Assignee & { team: string })[]>([]);
  const [userId, setUserId] = useState('');
  const [message, setMessage] = useState('');
  const [outcome, setOutcome] = useState<{ done: string; refusals: Refusal[] } | null>(null);
  const [isSending, setSending] = useState(false);
  const barRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const bar = barRef.current;
    if (!bar) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--staff-bulk-height', `${bar.offsetHeight}px`));
    observer.observe(bar);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--staff-bulk-height');
    };
  }, []);

  useEffect(() => {
    if (pending !== 'assign' || assignees.length > 0) return;
    fetchAssignees().then(
      ({ assignees }) => setAssignees(assignees),
      () => setOutcome({ done: t('staff.bulk.failed'), refusals: [] }),
    );
  }, [pending, assignees.length, t]);

  const chosen = items.filter((item) => selected.has(item.id));
  const applicable = (action: BulkAction) => chosen.filter((item) => canApplyBulkAction(action, item.status));
  const reasonOf = (code: string | undefined, item: QueueItem | undefined) =>
    t(REASONS[code ?? ''] ?? 'staff.bulk.reason.other', {
      status: item ? label(PUBLIC_STATUS[item.status].label) : '',
    });

  async function run(action: BulkAction) {
    const targets = applicable(action);
    // Reports this action does not apply to are not sent; they are listed with the server's refusals.
    const skipped: Refusal[] = chosen
      .filter((item) => !canApplyBulkAction(action, item.status))
      .map((item) => ({ id: item.id, ref: item.ref, reason: reasonOf('TRANSITION_NOT_ALLOWED', item) }));
    if (targets.length === 0) return;
    setSending(true);
    setOutcome(null);
    try {
      const { results } = await bulkAction({
        ids: targets.map((item) => item.id),
        action,
        userId: action === 'assign' ? (userId ? Number(userId) : null) : undefined,
        message: action === 'resolve' && message.trim() ? message.trim() : undefined,
      });
      const refused = results
        .filter((r) => !r.ok)
        .map((r) => {
          const item = items.find((i) => i.id === r.id);
          return { id: r.id, ref: r.ref ?? item?.ref ?? r.id, reason: reasonOf(r.code, item) };
        });
      setOutcome({
        done: t('staff.bulk.done', { count: results.length - refused.length }),
        refusals: [...refused, ...skipped],
      });
      setPending(null);
      setMessage('');
      onDone();
    } catch {
      setOutcome({ done: t('staff.bulk.failed'), refusals: [] });
    } finally {
      setSending(false);
    }
  }

  /** An action's button label: with "n of m" when it applies to only some of the selection. */
  const actionLabel = (action: BulkAction, key: MessageKey) => {
    const count = applicable(action).length;
    return count === chosen.length ? t(key) : t('staff.bulk.partial', { action: t(key), count, total: chosen.length });
  };
  const offered = (action: BulkAction) => applicable(action).length > 0;
  const count = selected.size;
  return (
    <div ref={barRef} className="staff-bulk" role="region" aria-label={t('staff.bulk.label')}>
      <p className="staff-bulk-count" aria-live="polite">
        {t('staff.select.count', { count })}
      </p>
      <div role="status" className="staff-bulk-outcome">
        {outcome && (
          <>
            <p>
              {outcome.done}
              {outcome.refusals.length > 0 && ` ${t('staff.bulk.refusedCount', { count: outcome.refusals.length })}`}
            </p>
            {outcome.refusals.length > 0 && (
              <ul className="staff-bulk-refusals">
                {outcome.refusals.map((r) => (
                  <li key={r.id}>
                    <strong>{r.ref}</strong> : {r.reason}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      {pending === 'assign' && (
        <SelectField
          id="bulk-assignee"
          label={t('staff.bulk.assignTo')}
          className="input"
          value={userId}
          onValue={setUserId}
        >
          <option value="">{t('staff.assign.nobody')}</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} — {a.team}
            </option>
          ))}
        </SelectField>
      )}
      {pending === 'resolve' && (
        <TextareaField
          id="bulk-message"
          label={t('staff.bulk.message')}
          rows={2}
          value={message}
          onValue={setMessage}
        />
      )}
      <div className="staff-bulk-actions">
        {pending ? (
          <>
            <button type="button" className="button button--quiet" onClick={() => setPending(null)}>
              {t('staff.bulk.cancel')}
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={isSending || !offered(pending)}
              onClick={() => void run(pending)}
            >
              {t('staff.bulk.confirm')}
            </button>
          </>
        ) : count === 0 ? (
          <p className="staff-bulk-hint">{t('staff.bulk.none')}</p>
        ) : (
          <>
            {offered('acknowledge') && (
              <button
                type="button"
                className="button button--primary"
                disabled={isSending}
                onClick={() => void run('acknowledge')}
              >
                {actionLabel('acknowledge', 'staff.bulk.acknowledge')}
              </button>
            )}
            {canAssign && offered('assign') && (
              <button type="button" className="button button--secondary" onClick={() => setPending('assign')}>
                {actionLabel('assign', 'staff.bulk.assign')}
              </button>
            )}
            {offered('resolve') && (
              <button type="button" className="button button--secondary" onClick={() => setPending('resolve')}>
                {actionLabel('resolve', 'staff.bulk.resolve')}
              </button>
            )}
            {!offered('acknowledge') && !offered('resolve') && !(canAssign && offered('assign')) && (
              <p className="staff-bulk-hint">{t('staff.bulk.nothing')}</p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
