import { useState } from 'react';
import { useI18n } from '../../../i18n';
import type { StaffUser } from '../api/staff-api';
import { AssistedReportForm } from './assisted-report';
import { FailedJobs } from './failed-jobs';
import { StaffGate, StaffWho } from './staff-gate';
import { StaffQueue } from './staff-queue';
import './staff-page.css';

type Section = 'queue' | 'assisted' | 'jobs';

/**
 * What each role can open, first one shown. Agents file reports for residents and never see the
 * queue (its API refuses them); supervisors and admins also file, and retry failed jobs.
 */
const SECTIONS: Record<StaffUser['role'], readonly Section[]> = {
  crew: ['queue'],
  council: ['queue'],
  agent: ['assisted'],
  supervisor: ['queue', 'assisted', 'jobs'],
  admin: ['queue', 'assisted', 'jobs'],
};

/**
 * `/staff`: signs in with e-mail and password, then shows the crews' triage queue, the form that
 * files a report for a resident, or the failed jobs, as the role allows.
 */
export function StaffPage() {
  const { t } = useI18n();
  return (
    <StaffGate login={{ title: t('staff.login.title') }}>
      {(user, signOut) => <StaffArea key={user.id} user={user} onSignOut={signOut} />}
    </StaffGate>
  );
}

function StaffArea({ user, onSignOut }: { user: StaffUser; onSignOut: () => void }) {
  const { t } = useI18n();
  // An unknown role (a newer API) gets the most limited view rather than a blank page.
  const sections = SECTIONS[user.role] ?? SECTIONS.council;
  const [section, setSection] = useState<Section>(sections[0]!);
  // The queue's own title names the page for those who only triage; the others get the area's name.
  const title = sections.length === 1 && section === 'queue' ? t('staff.title') : t('staff.area.title');

  return (
    // The queue uses the whole width; an agent's page is one form, centred like the public ones.
    <div className={sections.includes('queue') ? 'page staff-page' : 'page page--narrow staff-page'}>
      <div className="staff-bar">
        <h1 className="page-title">{title}</h1>
        <StaffWho user={user} onSignOut={onSignOut}>
          {user.role === 'admin' && (
            <a className="text-link" href="/admin">
              {t('admin.link')}
            </a>
          )}
          {(user.role === 'supervisor' || user.role === 'admin') && (
            <a className="text-link" href="/moderation">
              {t('moderation.link')}
            </a>
          )}
        </StaffWho>
      </div>
      {sections.length > 1 && (
        <div className="staff-sections" role="group" aria-label={t('staff.section.label')}>
          {sections.map((value) => (
            <button
              key={value}
              type="button"
              className="tab staff-section-tab"
              aria-pressed={section === value}
              onClick={() => setSection(value)}
            >
              {t(`staff.section.${value}`)}
            </button>
          ))}
        </div>
      )}
      {section === 'queue' && (
        <>
          {/* The pressed tab already says it on screen; the heading keeps the outline for screen readers. */}
          {sections.length > 1 && <h2 className="visually-hidden">{t('staff.title')}</h2>}
          <StaffQueue user={user} />
        </>
      )}
      {section !== 'queue' && (
        <div className="staff-section-body">{section === 'assisted' ? <AssistedReportForm /> : <FailedJobs />}</div>
      )}
    </div>
  );
}
