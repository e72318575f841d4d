import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { Link, navigate } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { verifyMagicLink } from '../api/account-api';

const LINK_ERRORS: Partial<Record<string, MessageKey>> = {
  MAGIC_LINK_USED: 'account.link.used',
  MAGIC_LINK_EXPIRED: 'account.link.expired',
  MAGIC_LINK_INVALID: 'account.link.invalid',
};

// A link works once: one verification per token for the whole visit, even if the page renders twice.
const verifications = new Map<string, ReturnType<typeof verifyMagicLink>>();

function readToken(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** `/compte/connexion#token=…`: the page a magic link opens. It spends the token and moves on. */
export function MagicLinkPage() {
  const { t } = useI18n();
  useDocumentTitle(t('account.link.title'));
  const [token] = useState(readToken);
  const [error, setError] = useState<string | null>(token ? null : 'MAGIC_LINK_INVALID');

  useEffect(() => {
    if (!token) return;
    // Out of the address bar and the history: the link is spent anyway, but nobody needs to see it.
    window.history.replaceState(null, '', window.location.pathname);
    let pending = verifications.get(token);
    if (!pending) {
      pending = verifyMagicLink(token);
      verifications.set(token, pending);
    }
    let isCurrent = true;
    pending.then(
      ({ returnTo }) => isCurrent && navigate(returnTo, { replace: true }),
      (caught: unknown) => isCurrent && setError(caught instanceof ApiError ? caught.code : 'NETWORK'),
    );
    return () => {
      isCurrent = false;
    };
  }, [token]);

  if (!error) {
    return (
      <p className="page page-loading" role="status">
        {t('account.link.checking')}
      </p>
    );
  }
  return (
    <div className="page page--narrow account-page">
      <h1 className="page-title">{t('account.link.title')}</h1>
      <p className="form-error" role="alert">
        {t(LINK_ERRORS[error] ?? 'account.error.generic')}
      </p>
      <p>
        <Link href="/compte" className="button button--primary">
          {t('account.link.askAgain')}
        </Link>
      </p>
    </div>
  );
}
