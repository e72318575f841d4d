import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import type { CitizenProfile } from '../api/account-api';
import { AccountSection } from './account-section';

/**
 * The place for more of the account page: sections other features add for a signed-in citizen,
 * shown between the profile and account deletion. Each gets the profile; each renders its own
 * `<section className="account-section">`.
 */
export function AccountExtraSections(_props: { profile: CitizenProfile }) {
  return <AlertsSection />;
}

/**
 * Area alerts live apart from accounts (an e-mail address and its own double opt-in, issue #8), so
 * the account page only points to them.
 */
function AlertsSection() {
  const { t } = useI18n();
  return (
    <AccountSection id="account-alerts-title" title={t('account.alerts.title')}>
      <p>{t('account.alerts.text')}</p>
      <div className="account-actions">
        <Link href="/alertes" className="button button--secondary" data-testid="account-alerts-link">
          {t('alerts.link')}
        </Link>
      </div>
    </AccountSection>
  );
}
