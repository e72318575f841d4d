import type { ModerationQueueItem, PublicReport } from '@pave/shared';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { fetchStaffReport, type StaffUser } from '../../staff/api/staff-api';
import { SignedInPage } from '../../staff/components/staff-gate';
import { fetchModerationQueue, fetchModerationWords, resolveFlags, saveModerationWords } from '../api/moderation-api';
import { CityVoiceAdmin } from './city-voice-admin';
import { canModerate, ModerationPanel } from './moderation-panel';
import '../moderation.css';

/** `/moderation`: what residents flagged as abusive, with counts, and comments held by the word list. */
export function ModerationPage() {
  const { t } = useI18n();
  useDocumentTitle(t('moderation.page.title'));
  return (
    <SignedInPage
      title={t('moderation.page.title')}
      intro={t('moderation.login.intro')}
      className="moderation-page"
      canEnter={(user) => canModerate(user.role)}
      refusal={{
        message: t('moderation.page.refused'),
        className: 'notice notice--error',
        testId: 'moderation-refused',
      }}
      links={
        <a className="text-link" href="/staff">
          {t('moderation.page.toStaff')}
        </a>
      }
    >
      {(user) => <ModerationArea user={user} />}
    </SignedInPage>
  );
}

function ModerationArea({ user }: { user: StaffUser }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ModerationQueueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    fetchModerationQueue().then(
      (q) => setItems(q.items),
      () => setError(t('moderation.failed')),
    );
  }, [t]);
  useEffect(load, [load]);

  return (
    <>
      <p className="moderation-intro">{t('moderation.page.intro')}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        !error && <p className="page-loading">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="notice notice--success" data-testid="moderation-empty">
          {t('moderation.page.empty')}
        </p>
      ) : (
        <ul className="moderation-queue" data-testid="moderation-queue">
          {items.map((item) => (
            <QueueItem
              key={`${item.reportId}-${item.target}-${item.targetId ?? ''}`}
              item={item}
              role={user.role}
              onDone={load}
            />
          ))}
        </ul>
      )}
      {user.role === 'admin' && (
        <>
          <WordList />
          <CityVoiceAdmin />
        </>
      )}
    </>
  );
}

function QueueItem({ item, role, onDone }: { item: ModerationQueueItem; role: StaffUser['role']; onDone: () => void }) {
  const { t, formatDate } = useI18n();
  const [failed, setFailed] = useState(false);
  const [report, setReport] = useState<PublicReport | null>(null);
  const openReport = () => fetchStaffReport(item.reportId).then(setReport, () => setFailed(true));
  async function dismiss() {
    try {
      await resolveFlags({
        reportId: item.reportId,
        target: item.target,
        ...(item.targetId ? { targetId: item.targetId } : {}),
        outcome: 'dismissed',
      });
      onDone();
    } catch {
      setFailed(true);
    }
  }
  return (
    <li className="moderation-queue-item" data-testid="moderation-queue-item">
      <p className="moderation-item-title">
        <a className="text-link" href={`/r/${item.ref}`}>
          {item.ref}
        </a>{' '}
        · {t(`moderation.target.${item.target === 'report' ? 'description' : item.target}`)}
        {item.isHeld && <span className="moderation-state"> · {t('moderation.state.held')}</span>}
        {item.isHidden && <span className="moderation-state"> · {t('moderation.state.hidden')}</span>}
      </p>
      {item.text && <p className="moderation-text">{item.text}</p>}
      {item.photoUrl && <img className="moderation-photo" src={item.photoUrl} alt={t('staff.report.photo')} />}
      <p className="moderation-meta">
        {item.flagCount > 0 ? t('moderation.page.flags', { n: item.flagCount }) : t('moderation.page.heldByWords')}
        {item.reasons.length > 0 &&
          ` — ${item.reasons.map((r) => t(`moderation.flag.reason.${r as 'insult'}`)).join(', ')}`}{' '}
        · <time dateTime={item.firstAt}>{formatDate(item.firstAt, 'short')}</time>
      </p>
      <div className="moderation-buttons">
        {!report && (
          <button
            type="button"
            className="button button--secondary moderation-button"
            onClick={openReport}
            data-testid="moderation-open"
          >
            {t('moderation.page.open')}
          </button>
        )}
        {item.flagCount > 0 && (
          <button type="button" className="button button--quiet" onClick={dismiss}>
            {t('moderation.page.dismiss')}
          </button>
        )}
      </div>
      {report && (
        <ModerationPanel
          report={report}
          role={role}
          onChanged={() => {
            void openReport();
            onDone();
          }}
        />
      )}
      {failed && (
        <p className="form-error" role="alert">
          {t('moderation.failed')}
        </p>
      )}
    </li>
  );
}

/** The admins' word list: a comment with one of these words waits for a moderator. */
function WordList() {
  const { t } = useI18n();
  const [text, setText] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'saved' | 'failed'>('idle');
  useEffect(() => {
    fetchModerationWords().then(
      (w) => setText(w.words.join('\n')),
      () => setStatus('failed'),
    );
  }, []);
  async function save(event: FormEvent) {
    event.preventDefault();
    const words = (text ?? '')
      .split('\n')
      .map((w) => w.trim())
      .filter(Boolean);
    try {
      setText((await saveModerationWords(words)).words.join('\n'));
      setStatus('saved');
    } catch {
      setStatus('failed');
    }
  }
  return (
    <form className="moderation-words" onSubmit={save}>
      <h2 className="section-title">{t('moderation.words.title')}</h2>
      <label className="field">
        <span className="field-label">{t('moderation.words.label')}</span>
        <span className="field-hint">{t('moderation.words.hint')}</span>
        <textarea
          className="textarea"
          value={text ?? ''}
          onChange={(e) => {
            setText(e.target.value);
            setStatus('idle');
          }}
          disabled={text === null}
        />
      </label>
      <button type="submit" className="button button--primary">
        {t('moderation.words.save')}
      </button>
      {status !== 'idle' && (
        <p className={status === 'saved' ? 'notice notice--success' : 'form-error'} role="status">
          {t(status === 'saved' ? 'moderation.words.saved' : 'moderation.failed')}
        </p>
      )}
    </form>
  );
}
