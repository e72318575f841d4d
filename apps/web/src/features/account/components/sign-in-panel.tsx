import { useEffect, useState, type FormEvent } from 'react';
import { TextField } from '../../../components/form-field';
import { useI18n, type MessageKey } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { fetchProviders, providerStartUrl, requestMagicLink, type OidcProviderInfo } from '../api/account-api';

// Why a sign-in came back refused (`/compte?erreur=CODE`, or a refused request), in words.
const ERROR_MESSAGES: Partial<Record<string, MessageKey>> = {
  OIDC_STATE_INVALID: 'account.error.OIDC_STATE_INVALID',
  OIDC_CODE_INVALID: 'account.error.OIDC_CODE_INVALID',
  OIDC_PROVIDER_UNAVAILABLE: 'account.error.OIDC_PROVIDER_UNAVAILABLE',
  OIDC_PROVIDER_UNKNOWN: 'account.error.OIDC_CODE_INVALID',
  EMAIL_INVALID: 'account.error.EMAIL_INVALID',
  RATE_LIMITED: 'account.error.RATE_LIMITED',
  NETWORK: 'account.error.network',
};

export function describeAccountError(code: string): MessageKey {
  return ERROR_MESSAGES[code] ?? 'account.error.generic';
}

/** Signing in without a password: a link by e-mail, or one button per configured provider. */
export function SignInPanel({
  notice,
  initialError,
  returnTo,
}: {
  /** What just happened (signed out, account deleted), said first. */
  notice: string | null;
  initialError: string | null;
  returnTo: string;
}) {
  const { t, locale } = useI18n();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(initialError);
  const [isSending, setSending] = useState(false);
  const [providers, setProviders] = useState<OidcProviderInfo[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchProviders(controller.signal).then(
      ({ providers }) => setProviders(providers),
      () => setProviders([]),
    );
    return () => controller.abort();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await requestMagicLink(email, locale, returnTo);
      setSentTo(email.trim());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.code : 'NETWORK');
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="page page--narrow account-page">
      {notice && (
        <p className="account-banner" role="status">
          {notice}
        </p>
      )}
      <h1 className="page-title">{t('account.title')}</h1>
      <p className="page-intro">{t('account.signIn.intro')}</p>
      {error && (
        <p className="form-error" role="alert">
          {t(describeAccountError(error))}
        </p>
      )}
      {sentTo ? (
        <div className="account-sent" role="status" data-testid="magic-link-sent">
          <p className="account-sent-title">{t('account.signIn.sentTitle')}</p>
          <p>{t('account.signIn.sent', { email: sentTo })}</p>
          <button type="button" className="button button--quiet" onClick={() => setSentTo(null)}>
            {t('account.signIn.again')}
          </button>
        </div>
      ) : (
        <form className="account-form" onSubmit={submit}>
          <TextField
            id="account-email"
            label={t('account.signIn.email')}
            hint={t('account.signIn.emailHint')}
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            value={email}
            onValue={setEmail}
          />
          <button type="submit" className="button button--primary button--block" disabled={isSending}>
            {isSending ? t('account.signIn.sending') : t('account.signIn.submit')}
          </button>
        </form>
      )}
      {providers.length > 0 && (
        <div className="account-providers">
          <p className="account-or">
            <span>{t('account.signIn.or')}</span>
          </p>
          {providers.map((provider) => (
            <a
              key={provider.id}
              className="button button--secondary button--block"
              href={providerStartUrl(provider.id, returnTo)}
            >
              {t('account.signIn.withProvider', { provider: provider.label })}
            </a>
          ))}
        </div>
      )}
      <p className="account-note">{t('account.signIn.optional')}</p>
    </div>
  );
}
