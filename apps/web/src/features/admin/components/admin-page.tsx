import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { StaffUser } from '../../staff/api/staff-api';
import { StaffGate, StaffRefused, StaffWho } from '../../staff/components/staff-gate';
import { AreasSection } from './areas-section';
import { AuditSection } from './audit-section';
import { CategoriesSection } from './categories-section';
import { CostsSection } from './costs-section';
import { RulesSection } from './rules-section';
import { TeamsSection } from './teams-section';
import { UsersSection } from './users-section';
import '../admin.css';

const TABS = ['rules', 'areas', 'teams', 'categories', 'users', 'costs', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** `/admin` (issue #4): areas, routing rules, teams, categories and staff accounts, for admins only. */
export function AdminPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.title'));
  return (
    <StaffGate
      // The staff sign-in, here too: an admin following a link to /admin signs in where they landed.
      login={{ title: t('admin.title'), intro: t('admin.login.intro'), className: 'admin-login' }}
      canEnter={(user) => user.role === 'admin'}
      refused={(user) => (
        <StaffRefused
          title={t('admin.title')}
          message={user === null ? t('admin.signedOut') : t('admin.refused')}
          className="admin-refused"
          testId="admin-refused"
        >
          <a className="button button--primary" href="/staff">
            {t('admin.toStaff')}
          </a>
        </StaffRefused>
      )}
    >
      {(user, signOut) => <AdminArea user={user} onSignOut={signOut} />}
    </StaffGate>
  );
}

function AdminArea({ user, onSignOut }: { user: StaffUser; onSignOut: () => void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('rules');

  return (
    <div className="page admin-page">
      <div className="staff-bar">
        <h1 className="page-title">{t('admin.title')}</h1>
        <StaffWho user={user} onSignOut={onSignOut}>
          <a className="text-link" href="/staff">
            {t('admin.toStaff')}
          </a>
        </StaffWho>
      </div>
      <div className="admin-tabs" role="tablist" aria-label={t('admin.tabs')}>
        {TABS.map((value) => (
          <button
            key={value}
            id={`admin-tab-${value}`}
            type="button"
            role="tab"
            className="tab admin-tab"
            aria-selected={tab === value}
            aria-controls="admin-panel"
            onClick={() => setTab(value)}
          >
            {t(`admin.tab.${value}`)}
          </button>
        ))}
      </div>
      <section id="admin-panel" role="tabpanel" aria-labelledby={`admin-tab-${tab}`} className="admin-panel">
        {tab === 'rules' && <RulesSection />}
        {tab === 'areas' && <AreasSection />}
        {tab === 'teams' && <TeamsSection />}
        {tab === 'categories' && <CategoriesSection />}
        {tab === 'users' && <UsersSection currentUserId={user.id} />}
        {tab === 'costs' && <CostsSection />}
        {tab === 'audit' && <AuditSection />}
      </section>
    </div>
  );
}
