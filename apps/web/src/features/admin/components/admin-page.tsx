import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { StaffUser } from '../../staff/api/staff-api';
import { useStaffSession } from '../../staff/hooks/use-staff-session';
import { AreasSection } from './areas-section';
import { AuditSection } from './audit-section';
import { CategoriesSection } from './categories-section';
import { RulesSection } from './rules-section';
import { TeamsSection } from './teams-section';
import { UsersSection } from './users-section';
import '../admin.css';

const TABS = ['rules', 'areas', 'teams', 'categories', 'users', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** `/admin` (issue #4): areas, routing rules, teams, categories and staff accounts, for admins only. */
export function AdminPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.title'));
  const { user, signOut } = useStaffSession();

  if (user === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (user === null || user.role !== 'admin') {
    // The sign-in lives in one place, /staff; the API refuses the other roles anyway.
    return (
      <div className="page page--narrow">
        <h1 className="page-title">{t('admin.title')}</h1>
        <p className="admin-refused" role="alert" data-testid="admin-refused">
          {user === null ? t('admin.signedOut') : t('admin.refused')}
        </p>
        <a className="button button--primary" href="/staff">
          {t('admin.toStaff')}
        </a>
      </div>
    );
  }
  return <AdminArea user={user} onSignOut={signOut} />;
}

function AdminArea({ user, onSignOut }: { user: StaffUser; onSignOut: () => void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('rules');

  return (
    <div className="page admin-page">
      <div className="staff-bar">
        <h1 className="page-title">{t('admin.title')}</h1>
        <p className="staff-who">
          {user.displayName} · {t('staff.role.admin')}{' '}
          <a className="text-link" href="/staff">
            {t('admin.toStaff')}
          </a>{' '}
          <button type="button" className="button button--quiet" onClick={onSignOut}>
            {t('staff.logout')}
          </button>
        </p>
      </div>
      <div className="admin-tabs" role="tablist" aria-label={t('admin.tabs')}>
        {TABS.map((value) => (
          <button
            key={value}
            id={`admin-tab-${value}`}
            type="button"
            role="tab"
            className="admin-tab"
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
        {tab === 'audit' && <AuditSection />}
      </section>
    </div>
  );
}
