import { useCallback, useMemo, useState } from 'react';
import { useI18n } from '../../../i18n';
import { replaceSearch } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { StaffUser } from '../../staff/api/staff-api';
import { StaffGate, StaffRefused, StaffWho } from '../../staff/components/staff-gate';
import { isAnalyst } from '../hooks/use-analyst-access';
import { exportUrl, fetchSatisfaction, fetchSummary } from '../api/council-api';
import { useAnalytics } from '../hooks/use-analytics';
import {
  readCouncilFilters,
  toAnalyticsQuery,
  toPeriodQuery,
  writeCouncilFilters,
  type CouncilFilters,
} from '../council-filters';
import { ClustersPanel } from './clusters-panel';
import { CouncilFiltersBar } from './council-filters-bar';
import { EvaluationPanel } from './evaluation-panel';
import { FeedbackTables } from './feedback-tables';
import { FiguresTable } from './figures-table';
import { HeadlineFigures } from './headline-figures';
import type { MapHighlight } from '../hooks/use-heatmap-layers';
import { HeatmapPanel } from './heatmap-panel';
import { TrendsCharts } from './trends-charts';
import './council.css';

/** `/council`: the council's analytics (issue #6), behind the staff sign-in. */
export function CouncilPage() {
  const { t } = useI18n();
  useDocumentTitle(t('council.title'));
  return (
    <StaffGate
      login={{ title: t('council.title'), intro: t('council.login.intro'), className: 'council-login' }}
      canEnter={(user) => isAnalyst(user.role)}
      refused={(_user, signOut) => (
        <StaffRefused
          title={t('council.title')}
          message={t('council.refused')}
          className="council-refused"
          testId="council-refused"
        >
          <button type="button" className="button button--secondary" onClick={signOut}>
            {t('staff.logout')}
          </button>
        </StaffRefused>
      )}
    >
      {(user, signOut) => <CouncilDashboard user={user} onSignOut={signOut} />}
    </StaffGate>
  );
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
  // Asked once, shown twice: the headline row and the tables below read the same answers.
  const summary = useAnalytics(`${query}|${filters.by}`, (signal) =>
    fetchSummary(new URLSearchParams(query), filters.by, signal),
  );
  // Satisfaction takes the same filters as the summary, so the headline row speaks of one set of reports.
  const satisfaction = useAnalytics(query, (signal) => fetchSatisfaction(new URLSearchParams(query), signal));

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
        <StaffWho user={user} onSignOut={onSignOut} className="council-who" />
      </div>
      <CouncilFiltersBar filters={filters} onChange={change} userId={user.id} />
      <HeadlineFigures summary={summary} satisfaction={satisfaction} />
      <div className="council-exports" role="group" aria-label={t('council.exports.label')}>
        <span className="council-exports__label">{t('council.exports.label')}</span>
        <a className="button button--secondary" href={exportUrl('csv', new URLSearchParams(query))} download>
          {t('council.exports.csv')}
        </a>
        <a className="button button--quiet" href={exportUrl('csv-codes', new URLSearchParams(query))} download>
          {t('council.exports.csvCodes')}
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
      <FiguresTable state={summary} by={filters.by} onByChange={(by) => change({ ...filters, by })} />
      <TrendsCharts query={query} />
      <ClustersPanel query={query} onShow={showOnMap} />
      <FeedbackTables periodQuery={periodQuery} satisfaction={satisfaction} />
      <EvaluationPanel periodQuery={periodQuery} />
    </div>
  );
}
