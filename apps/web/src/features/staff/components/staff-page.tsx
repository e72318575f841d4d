import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { fetchMe, logIn, logOut, type StaffUser } from '../api/staff-api';
import { StaffQueue } from './staff-queue';

/** `/staff`: the crews' triage. Signs in with e-mail and password, then shows the queue. */
export function StaffPage() {
  const { t } = useI18n();
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);

  useEffect(() => {
    fetchMe().then(
      ({ user }) => setUser(user),
      () => setUser(null),
    );
  }, []);

  const signOut = useCallback(async () => {
    await logOut().catch(() => {});
    setUser(null);
  }, []);

  if (user === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (user === null) return <StaffLogin onSignedIn={setUser} />;
  return (
    <div className="page staff-page">
      <div className="staff-bar">
        <h1 className="page-title">{t('staff.title')}</h1>
        <p className="staff-who">
          {user.displayName} · {t(`staff.role.${user.role}`)}{' '}
          <button type="button" className="button button--quiet" onClick={signOut}>
            {t('staff.logout')}
          </button>
        </p>
      </div>
      <StaffQueue canAct={user.role !== 'council'} />
    </div>
  );
}

function StaffLogin({ onSignedIn }: { onSignedIn: (user: StaffUser) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      onSignedIn((await logIn(email, password)).user);
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : 'NETWORK';
      setError(
        code === 'RATE_LIMITED'
          ? t('staff.login.tooMany')
          : code === 'AUTH_INVALID'
            ? t('staff.login.invalid')
            : t('staff.login.failed'),
      );
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('staff.login.title')}</h1>
      <form className="staff-login" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor="staff-email">
            {t('staff.login.email')}
          </label>
          <input
            id="staff-email"
            className="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="staff-password">
            {t('staff.login.password')}
          </label>
          <input
            id="staff-password"
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={isSending}>
          {t('staff.login.submit')}
        </button>
      </form>
    </div>
  );
}
