import { useCallback, useMemo, useState } from 'react';
import { useI18n } from '../../../i18n';
import { replaceSearch } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { StaffUser } from '../../staff/api/staff-api';
import { StaffLogin } from '../../staff/components/staff-login';
import { useStaffSession } from '../../staff/hooks/use-staff-session';
import { exportUrl } from '../api/council-api';
import {
  readCouncilFilters,
  toAnalyticsQuery,
  toPeriodQuery,
  writeCouncilFilters,
  type CouncilFilters,
} from '../council-filters';
import { ClustersPanel } from './clusters-panel';
import { CouncilFiltersBar } from './council-filters-bar';
import { FeedbackTables } from './feedback-tables';
import { FiguresTable } from './figures-table';
import { HeatmapPanel, type MapHighlight } from './heatmap-panel';
import { TrendsCharts } from './trends-charts';
import './council.css';

/** The roles the analytics API answers; the page says so to anyone else rather than show errors. */
const ANALYST_ROLES: readonly string[] = ['council', 'supervisor', 'admin'];

/** `/council`: the council's analytics (issue #6), behind the staff sign-in. */
export function CouncilPage() {
  const { t } = useI18n();
  useDocumentTitle(t('council.title'));
  const { user, signIn, signOut } = useStaffSession();

  if (user === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (user === null)
    return (
      <StaffLogin
        onSignedIn={signIn}
        title={t('council.title')}
        intro={t('council.login.intro')}
        className="council-login"
      />
    );
  if (!ANALYST_ROLES.includes(user.role)) {
    return (
      <div className="page page--narrow">
        <h1 className="page-title">{t('council.title')}</h1>
        <p className="council-refused" role="alert" data-testid="council-refused">
          {t('council.refused')}
        </p>
        <button type="button" className="button button--secondary" onClick={signOut}>
          {t('staff.logout')}
        </button>
      </div>
    );
  }
  return <CouncilDashboard user={user} onSignOut={signOut} />;
}

function CouncilDashboard({ user, onSignOut }: { user: StaffUser; onSignOut: () => void }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<CouncilFilters>(() =>
    readCouncilFilters(new URLSearchParams(window.location.search)),
  );
  const [highlight, setHighlight] = useState<MapHighlight | null>(null);

  // Computed once per filter change: "the last 30 days" stays the same days for the whole visit's requests.
  const query = useMemo(() => toAnalyticsQuery(filters).toString(), [filters]);
  const periodQuery = useMemo(() => toPeriodQuery(filters).toString(), [filters]);

  const change = useCallback((next: CouncilFilters) => {
    setFilters(next);
    const params = new URLSearchParams(window.location.search);
    writeCouncilFilters(params, next);
    replaceSearch(params);
  }, []);

  const showOnMap = useCallback((next: MapHighlight) => {
    setHighlight(next);
    document.getElementById('council-map-title')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  return (
    <div className="page council-page">
      <div className="council-top">
        <div>
          <h1 className="page-title">{t('council.title')}</h1>
          <p className="page-intro">{t('council.intro')}</p>
        </div>
        <p className="council-who">
          {user.displayName} · {t(`staff.role.${user.role}`)}{' '}
          <button type="button" className="button button--quiet" onClick={onSignOut}>
            {t('staff.logout')}
          </button>
        </p>
      </div>
      <CouncilFiltersBar filters={filters} onChange={change} userId={user.id} />
      <div className="council-exports" role="group" aria-label={t('council.exports.label')}>
        <span className="council-exports__label">{t('council.exports.label')}</span>
        <a className="button button--secondary" href={exportUrl('csv', new URLSearchParams(query))} download>
          {t('council.exports.csv')}
        </a>
        <a className="button button--secondary" href={exportUrl('geojson', new URLSearchParams(query))} download>
          {t('council.exports.geojson')}
        </a>
        <button type="button" className="button button--quiet" onClick={() => window.print()}>
          {t('council.print')}
        </button>
      </div>
      <HeatmapPanel
        query={query}
        mode={filters.mode}
        onModeChange={(mode) => change({ ...filters, mode })}
        highlight={highlight}
      />
      <FiguresTable query={query} by={filters.by} onByChange={(by) => change({ ...filters, by })} />
      <TrendsCharts query={query} />
      <ClustersPanel query={query} onShow={showOnMap} />
      <FeedbackTables periodQuery={periodQuery} />
    </div>
  );
}
