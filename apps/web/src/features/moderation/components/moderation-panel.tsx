import { MODERATOR_ROLES, type ModerationAction, type PublicReport, type StaffRole } from '@pave/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { fetchModerationActions, moderate, type ModerationTarget } from '../api/moderation-api';
import '../moderation.css';

type Verb = 'hide' | 'edit' | 'restore' | 'publish';

/** Whether a staff role may hide or edit what residents wrote (supervisors and admins). */
export const canModerate = (role: StaffRole) => (MODERATOR_ROLES as readonly string[]).includes(role);

/**
 * The moderator's tools in a report's staff detail: hide, edit or restore the description and each
 * comment, hide a photo, publish a comment the word list held; and the record of past actions.
 */
export function ModerationPanel({
  report,
  role,
  onChanged,
}: {
  report: PublicReport;
  role: StaffRole;
  onChanged: () => void;
}) {
  const { t, formatDate } = useI18n();
  const [open, setOpen] = useState<{ target: ModerationTarget; verb: Verb; text: string } | null>(null);
  const [actions, setActions] = useState<ModerationAction[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!canModerate(role)) return;
    fetchModerationActions(report.id).then(
      (a) => setActions(a.actions),
      () => setActions([]),
    );
  }, [report.id, role, version]);
  if (!canModerate(role)) return null;

  const comments = report.timeline.filter((e) => e.commentId);
  const ask = (target: ModerationTarget, verb: Verb, text = '') => setOpen({ target, verb, text });
  const done = () => {
    setOpen(null);
    setVersion((v) => v + 1);
    onChanged();
  };

  return (
    <section className="moderation-panel" aria-label={t('moderation.panel.title')} data-testid="moderation-panel">
      <h3 className="moderation-title">{t('moderation.panel.title')}</h3>
      <div className="moderation-item">
        <p className="moderation-item-title">
          {t('moderation.panel.description')}
          {report.descriptionModeration && (
            <span className="moderation-state"> · {t(`moderation.state.${report.descriptionModeration}`)}</span>
          )}
        </p>
        <div className="moderation-buttons">
          {report.descriptionModeration === 'hidden' ? (
            <VerbButton label={t('moderation.verb.restore')} onClick={() => ask({ kind: 'description' }, 'restore')} />
          ) : (
            <VerbButton label={t('moderation.verb.hide')} onClick={() => ask({ kind: 'description' }, 'hide')} />
          )}
          <VerbButton
            label={t('moderation.verb.edit')}
            onClick={() => ask({ kind: 'description' }, 'edit', report.description)}
          />
        </div>
      </div>
      {comments.map((c, i) => (
        <div key={c.commentId} className="moderation-item" data-testid="moderation-comment">
          <p className="moderation-item-title">
            {t('moderation.flag.what.comment', { n: i + 1 })}
            {c.moderation && <span className="moderation-state"> · {t(`moderation.state.${c.moderation}`)}</span>}
          </p>
          {c.message && <p className="moderation-text">{c.message}</p>}
          <div className="moderation-buttons">
            {c.moderation === 'held' && (
              <VerbButton
                label={t('moderation.verb.publish')}
                onClick={() => ask({ kind: 'comment', id: c.commentId! }, 'publish')}
              />
            )}
            {c.moderation === 'hidden' ? (
              <VerbButton
                label={t('moderation.verb.restore')}
                onClick={() => ask({ kind: 'comment', id: c.commentId! }, 'restore')}
              />
            ) : (
              <VerbButton
                label={t('moderation.verb.hide')}
                onClick={() => ask({ kind: 'comment', id: c.commentId! }, 'hide')}
                testId="moderation-hide-comment"
              />
            )}
            <VerbButton
              label={t('moderation.verb.edit')}
              onClick={() => ask({ kind: 'comment', id: c.commentId! }, 'edit', c.message ?? '')}
            />
          </div>
        </div>
      ))}
      {report.photos.map((p, i) => (
        <div key={p.id} className="moderation-item">
          <p className="moderation-item-title">{t('moderation.flag.what.photo', { n: i + 1 })}</p>
          <div className="moderation-buttons">
            <VerbButton label={t('moderation.verb.hide')} onClick={() => ask({ kind: 'photo', id: p.id }, 'hide')} />
            <VerbButton
              label={t('moderation.verb.restore')}
              onClick={() => ask({ kind: 'photo', id: p.id }, 'restore')}
            />
          </div>
        </div>
      ))}
      {open && <ActionForm reportId={report.id} {...open} onDone={done} onCancel={() => setOpen(null)} />}
      {actions.length > 0 && (
        <details className="moderation-log">
          <summary>{t('moderation.log.title', { n: actions.length })}</summary>
          <ol>
            {actions.map((a) => (
              <li key={a.id}>
                <time dateTime={a.at}>{formatDate(a.at, 'short')}</time> — {a.actor.name} :{' '}
                {t(`moderation.verb.${a.action as Verb}`)} ({t(`moderation.target.${a.targetKind}`)}) — « {a.reason} »
                {a.originalText && (
                  <p className="moderation-original">
                    {t('moderation.log.original')} : {a.originalText}
                  </p>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

function VerbButton({ label, onClick, testId }: { label: string; onClick: () => void; testId?: string }) {
  return (
    <button type="button" className="button button--secondary moderation-button" onClick={onClick} data-testid={testId}>
      {label}
    </button>
  );
}

/** Why (always) and, for an edit, the new text: both kept with the action. */
function ActionForm({
  reportId,
  target,
  verb,
  text: initialText,
  onDone,
  onCancel,
}: {
  reportId: string;
  target: ModerationTarget;
  verb: Verb;
  text: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [text, setText] = useState(initialText);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) return setError(t('moderation.reasonRequired'));
    setSending(true);
    try {
      await moderate(reportId, target, { action: verb, reason, ...(verb === 'edit' ? { text } : {}) });
      onDone();
    } catch {
      setError(t('moderation.failed'));
      setSending(false);
    }
  }

  return (
    <form className="moderation-form" onSubmit={submit} data-testid="moderation-form">
      <p className="moderation-item-title">
        {t(`moderation.verb.${verb}`)} — {t(`moderation.target.${target.kind}`)}
      </p>
      {verb === 'edit' && (
        <label className="field">
          <span className="field-label">{t('moderation.newText')}</span>
          <textarea className="textarea" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span className="field-label">{t('moderation.reason')}</span>
        <input
          className="input"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          data-testid="moderation-reason"
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="moderation-buttons">
        <button type="submit" className="button button--primary" disabled={isSending} data-testid="moderation-confirm">
          {t('moderation.confirm')}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}
