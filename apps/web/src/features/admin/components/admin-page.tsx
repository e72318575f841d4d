import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { StaffUser } from '../../staff/api/staff-api';
import { SignedInPage } from '../../staff/components/staff-gate';
import { AreasSection } from './areas-section';
import { AuditSection } from './audit-section';
import { CategoriesSection } from './categories-section';
import { CostsSection } from './costs-section';
import { RulesSection } from './rules-section';
import { TeamsSection } from './teams-section';
import { UsersSection } from './users-section';
import { AdminTownsContext, useAdminTownsOf } from '../hooks/use-admin-towns';
import '../admin.css';

const TABS = ['rules', 'areas', 'teams', 'categories', 'users', 'costs', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** `/admin` (issue #4): areas, routing rules, teams, categories and staff accounts, for admins only. */
export function AdminPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.title'));
  return (
    <SignedInPage
      title={t('admin.title')}
      intro={t('admin.login.intro')}
      className="admin-page"
      canEnter={(user) => user.role === 'admin'}
      refusal={{ message: t('admin.refused'), className: 'admin-refused', testId: 'admin-refused' }}
      links={
        <a className="text-link" href="/staff">
          {t('admin.toStaff')}
        </a>
      }
    >
      {(user) => <AdminArea user={user} />}
    </SignedInPage>
  );
}

function AdminArea({ user }: { user: StaffUser }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('rules');
  const towns = useAdminTownsOf(user);

  return (
    <AdminTownsContext.Provider value={towns}>
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
    </AdminTownsContext.Provider>
  );
}
