import { useState } from 'react';
import { useI18n } from '../../../i18n';

/** The generated password, shown in this answer only: the API keeps nothing but its hash. */
export function PasswordOnce({ email, password, onDone }: { email: string; password: string; onDone: () => void }) {
  const { t } = useI18n();
  const [isCopied, setCopied] = useState(false);
  return (
    <div className="admin-password" role="status" data-testid="generated-password">
      <p>
        <strong>{t('admin.users.passwordFor', { email })}</strong>
      </p>
      <p className="admin-password__value">
        <code>{password}</code>
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            navigator.clipboard.writeText(password).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {isCopied ? t('admin.users.copied') : t('admin.users.copy')}
        </button>
      </p>
      <p className="field-hint">{t('admin.users.passwordOnce')}</p>
      <button type="button" className="button button--quiet" onClick={onDone}>
        {t('admin.users.passwordDone')}
      </button>
    </div>
  );
}
