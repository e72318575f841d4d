import { useEffect, useState } from 'react';
import { SelectField, TextareaField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { bulkAction, fetchAssignees, type Assignee, type BulkAction, type QueueItem } from '../api/staff-api';

/**
 * The sticky bar of select mode: acknowledge, assign or resolve every selected report at once.
 * Assigning and resolving ask one more question (to whom, which public message) before they run.
 * The answer says how many moved and which were refused, by reference.
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
  const { t } = useI18n();
  const [pending, setPending] = useState<BulkAction | null>(null);
  const [assignees, setAssignees] = useState<(Assignee & { team: string })[]>([]);
  const [userId, setUserId] = useState('');
  const [message, setMessage] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  useEffect(() => {
    if (pending !== 'assign' || assignees.length > 0) return;
    fetchAssignees().then(
      ({ assignees }) => setAssignees(assignees),
      () => setOutcome(t('staff.bulk.failed')),
    );
  }, [pending, assignees.length, t]);

  async function run(action: BulkAction) {
    setSending(true);
    setOutcome(null);
    try {
      const { results } = await bulkAction({
        ids: [...selected],
        action,
        userId: action === 'assign' ? (userId ? Number(userId) : null) : undefined,
        message: action === 'resolve' && message.trim() ? message.trim() : undefined,
      });
      const refused = results.filter((r) => !r.ok);
      const refOf = (id: string) => items.find((i) => i.id === id)?.ref ?? id;
      const done = t('staff.bulk.done', { count: results.length - refused.length });
      setOutcome(
        refused.length === 0
          ? done
          : `${done} ${t('staff.bulk.refused', { count: refused.length, refs: refused.map((r) => refOf(r.id)).join(', ') })}`,
      );
      setPending(null);
      setMessage('');
      onDone();
    } catch {
      setOutcome(t('staff.bulk.failed'));
    } finally {
      setSending(false);
    }
  }

  const count = selected.size;
  return (
    <div className="staff-bulk" role="region" aria-label={t('staff.bulk.label')}>
      <p className="staff-bulk-count" aria-live="polite">
        {t('staff.select.count', { count })}
      </p>
      {outcome && (
        <p className="staff-bulk-outcome" role="status">
          {outcome}
        </p>
      )}
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
              disabled={isSending || count === 0}
              onClick={() => void run(pending)}
            >
              {t('staff.bulk.confirm')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button button--primary"
              disabled={isSending || count === 0}
              onClick={() => void run('acknowledge')}
            >
              {t('staff.bulk.acknowledge')}
            </button>
            {canAssign && (
              <button
                type="button"
                className="button button--secondary"
                disabled={count === 0}
                onClick={() => setPending('assign')}
              >
                {t('staff.bulk.assign')}
              </button>
            )}
            <button
              type="button"
              className="button button--secondary"
              disabled={count === 0}
              onClick={() => setPending('resolve')}
            >
              {t('staff.bulk.resolve')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
