import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { actOnAlertLink, fetchAlertLink, type AlertLinkPurpose, type AlertView } from '../api/alerts-api';
import '../alerts.css';

type State =
  | { status: 'loading' }
  | { status: 'invalid' }
  | { status: 'ready'; alert: AlertView; isDone: boolean; isBusy: boolean; hasFailed: boolean };

/** What to say once there is nothing left to do on this link, or null while the button is needed. */
function outcome(purpose: AlertLinkPurpose, alert: AlertView, isDone: boolean): MessageKey | null {
  if (alert.state === 'unsubscribed')
    return isDone && purpose === 'unsubscribe' ? 'alerts.unsubscribe.done' : 'alerts.state.unsubscribed';
  if (purpose === 'confirm' && alert.state === 'active') return 'alerts.confirm.done';
  return null;
}

/**
 * The page behind a mail's link: confirm an alert, or stop it. Opening the page changes nothing
 * (mail scanners open links); the one button does it, without signing in.
 */
export function AlertLinkPage({ purpose }: { purpose: AlertLinkPurpose }) {
  const { t } = useI18n();
  const title = purpose === 'confirm' ? t('alerts.confirm.title') : t('alerts.unsubscribe.title');
  useDocumentTitle(title);
  const token = new URLSearchParams(window.location.search).get('t') ?? '';
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchAlertLink(purpose, token, controller.signal).then(
      (alert) => setState({ status: 'ready', alert, isDone: false, isBusy: false, hasFailed: false }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ status: 'invalid' });
      },
    );
    return () => controller.abort();
  }, [purpose, token]);

  const act = async () => {
    if (state.status !== 'ready') return;
    setState({ ...state, isBusy: true, hasFailed: false });
    try {
      const alert = await actOnAlertLink(purpose, token);
      setState({ status: 'ready', alert, isDone: true, isBusy: false, hasFailed: false });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ALERT_NOT_FOUND') setState({ status: 'invalid' });
      else setState({ ...state, isBusy: false, hasFailed: true });
    }
  };

  return (
    <div className="page page--narrow" data-testid="alert-link-page">
      <h1 className="page-title">{title}</h1>
      {state.status === 'loading' && <p className="page-loading">{t('common.loading')}</p>}
      {state.status === 'invalid' && (
        <p className="form-error" role="alert">
          {t('alerts.link.invalid')}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          <p className="page-intro">
            {t('alerts.summary', {
              area: state.alert.areaLabel,
              frequency: t(state.alert.frequency === 'daily' ? 'alerts.daily' : 'alerts.weekly'),
            })}
          </p>
          {outcome(purpose, state.alert, state.isDone) ? (
            <p className="support-done alert-link-action" role="status" data-testid="alert-link-done">
              {t(outcome(purpose, state.alert, state.isDone)!)}
            </p>
          ) : (
            <button
              type="button"
              className="button button--primary button--block alert-link-action"
              disabled={state.isBusy}
              onClick={() => void act()}
            >
              {purpose === 'confirm' ? t('alerts.confirm.button') : t('alerts.unsubscribe.button')}
            </button>
          )}
          {state.hasFailed && (
            <p className="form-error" role="alert">
              {t('alerts.link.failed')}
            </p>
          )}
        </>
      )}
    </div>
  );
}
