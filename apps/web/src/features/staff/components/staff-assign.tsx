import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { assign, fetchAssignees, type Assignee } from '../api/staff-api';

/**
 * Who handles a report. A crew member takes it or gives it back in one tap; a supervisor picks a
 * crew member of its service. The server checks the same rules either way.
 */
export function StaffAssign({
  reportId,
  assignee,
  me,
  onChanged,
}: {
  reportId: string;
  assignee: Assignee | null;
  me: { id: number; role: string };
  onChanged: (assignee: Assignee | null) => void;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<(Assignee & { team: string })[] | null>(null);
  const [choice, setChoice] = useState(assignee ? String(assignee.id) : '');
  const [error, setError] = useState(false);
  const [isSending, setSending] = useState(false);
  const isCrew = me.role === 'crew';

  useEffect(() => {
    if (isCrew) return;
    fetchAssignees().then(
      ({ assignees }) => setOptions(assignees),
      () => setError(true),
    );
  }, [isCrew]);

  async function save(userId: number | null) {
    setSending(true);
    setError(false);
    try {
      onChanged((await assign(reportId, userId)).assignee);
    } catch {
      setError(true);
    } finally {
      setSending(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(choice ? Number(choice) : null);
  };

  const status = (
    <p className="staff-assignee">
      {t('staff.assign.label')} : <strong>{assignee?.displayName ?? t('staff.assign.nobody')}</strong>
    </p>
  );
  const failure = error && (
    <p className="form-error" role="alert">
      {t('staff.assign.failed')}
    </p>
  );

  if (isCrew) {
    const isMine = assignee?.id === me.id;
    return (
      <div className="staff-assign">
        {status}
        {(!assignee || isMine) && (
          <button
            type="button"
            className="button button--secondary button--block"
            disabled={isSending}
            onClick={() => void save(isMine ? null : me.id)}
          >
            {isMine ? t('staff.assign.release') : t('staff.assign.take')}
          </button>
        )}
        {failure}
      </div>
    );
  }

  return (
    <form className="staff-assign" onSubmit={submit}>
      {status}
      <label className="field-label" htmlFor={`assign-${reportId}`}>
        {t('staff.bulk.assignTo')}
      </label>
      <div className="staff-assign-row">
        <select id={`assign-${reportId}`} className="input" value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('staff.assign.nobody')}</option>
          {options?.map((option) => (
            <option key={option.id} value={option.id}>
              {option.displayName} — {option.team}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button--secondary"
          disabled={isSending || choice === String(assignee?.id ?? '')}
        >
          {t('staff.assign.submit')}
        </button>
      </div>
      {failure}
    </form>
  );
}
