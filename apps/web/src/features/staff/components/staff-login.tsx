import { useState, type FormEvent } from 'react';
import { FormFooter } from '../../../components/form-footer';
import { TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { logIn, type StaffUser } from '../api/staff-api';

/**
 * The staff sign-in form (e-mail and password), shared by /staff and /council: one account, one
 * session. `title` and `intro` say which page the user is opening.
 */
export function StaffLogin({
  onSignedIn,
  title,
  intro,
  className = 'staff-login',
}: {
  onSignedIn: (user: StaffUser) => void;
  title: string;
  intro?: string;
  className?: string;
}) {
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
      <h1 className="page-title">{title}</h1>
      {intro && <p className="page-intro">{intro}</p>}
      <form className={className} onSubmit={submit}>
        <TextField
          id="staff-email"
          label={t('staff.login.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
        />
        <TextField
          id="staff-password"
          label={t('staff.login.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <FormFooter error={error} isSending={isSending} submitLabel={t('staff.login.submit')} />
      </form>
    </div>
  );
}
