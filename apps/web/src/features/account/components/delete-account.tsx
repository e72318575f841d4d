import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { deleteAccount } from '../api/account-api';
import { AccountSection } from './account-section';

/** Deleting the account, behind an explicit confirmation that says what stays and what goes. */
export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { t } = useI18n();
  const [isConfirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<'idle' | 'deleting' | 'failed'>('idle');

  async function confirm() {
    setStatus('deleting');
    try {
      await deleteAccount();
      onDeleted();
    } catch {
      setStatus('failed');
    }
  }

  return (
    <AccountSection id="delete-title" title={t('account.delete.title')} className="account-danger">
      <p>{t('account.delete.text')}</p>
      {isConfirming ? (
        <div className="account-confirm" role="group" aria-labelledby="delete-confirm-text">
          <p id="delete-confirm-text">
            <strong>{t('account.delete.confirmText')}</strong>
          </p>
          <div className="account-actions">
            <button type="button" className="button button--danger" onClick={confirm} disabled={status === 'deleting'}>
              {t('account.delete.confirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t('account.delete.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
          {t('account.delete.start')}
        </button>
      )}
      {status === 'failed' && (
        <p className="form-error" role="alert">
          {t('account.delete.failed')}
        </p>
      )}
    </AccountSection>
  );
}
