import { FLAG_REASONS, type FlagBody, type FlagReason, type PublicReport } from '@pave/shared';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { flagContent } from '../api/moderation-api';
import '../moderation.css';

/**
 * « Signaler un abus »: a resident tells the city that the description, a comment or a photo of this
 * report is abusive. Closed until asked for, so it never competes with the page's main actions.
 */
export function FlagAbuse({ report }: { report: PublicReport }) {
  const { t } = useI18n();
  const formId = useId();
  const [isOpen, setOpen] = useState(false);
  const [target, setTarget] = useState('report');
  const [reason, setReason] = useState<FlagReason | ''>('');
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | { error: string }>('idle');

  const comments = report.timeline.filter((e) => e.commentId && e.moderation !== 'hidden');
  const photos = report.photos.filter((p) => p.urls);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason) return setState({ error: t('moderation.flag.reasonRequired') });
    const [kind, id] = target.split(':') as [FlagBody['target'], string | undefined];
    setState('sending');
    try {
      await flagContent(report.id, { target: kind, ...(id ? { targetId: id } : {}), reason });
      setState('sent');
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'NETWORK';
      setState({ error: t(code === 'RATE_LIMITED' ? 'moderation.flag.tooMany' : 'moderation.flag.failed') });
    }
  }

  if (state === 'sent') {
    return (
      <p className="notice notice--success flag-abuse" role="status" data-testid="flag-sent">
        {t('moderation.flag.sent')}
      </p>
    );
  }
  if (!isOpen) {
    return (
      <p className="flag-abuse">
        <button
          type="button"
          className="button button--quiet flag-abuse-open"
          aria-expanded="false"
          aria-controls={formId}
          onClick={() => setOpen(true)}
          data-testid="flag-open"
        >
          {t('moderation.flag.open')}
        </button>
      </p>
    );
  }
  return (
    <form id={formId} className="flag-abuse flag-abuse-form" onSubmit={submit} data-testid="flag-form">
      <h2 className="section-title">{t('moderation.flag.title')}</h2>
      <p className="flag-abuse-intro">{t('moderation.flag.intro')}</p>
      <label className="field">
        <span className="field-label">{t('moderation.flag.what')}</span>
        <select className="select" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="flag-target">
          <option value="report">{t('moderation.flag.what.report')}</option>
          {comments.map((c, i) => (
            <option key={c.commentId} value={`comment:${c.commentId}`}>
              {t('moderation.flag.what.comment', { n: i + 1 })}
              {c.message ? ` — « ${c.message.slice(0, 40)}${c.message.length > 40 ? '…' : ''} »` : ''}
            </option>
          ))}
          {photos.map((p, i) => (
            <option key={p.id} value={`photo:${p.id}`}>
              {t('moderation.flag.what.photo', { n: i + 1 })}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="flag-abuse-reasons">
        <legend className="field-label">{t('moderation.flag.why')}</legend>
        {FLAG_REASONS.map((r) => (
          <label key={r} className="flag-abuse-reason">
            <input
              type="radio"
              name={`${formId}-reason`}
              value={r}
              checked={reason === r}
              onChange={() => setReason(r)}
            />
            {t(`moderation.flag.reason.${r}`)}
          </label>
        ))}
      </fieldset>
      {typeof state === 'object' && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <div className="flag-abuse-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={state === 'sending'}
          data-testid="flag-submit"
        >
          {t('moderation.flag.submit')}
        </button>
        <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}
