import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { replaceSearch } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { fetchMe, logIn, logOut, type StaffUser } from '../../staff/api/staff-api';
import { exportUrl } from '../api/council-api';
import { STAFF_SESSION_EVENT } from '../hooks/use-analyst-access';
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
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);

  useEffect(() => {
    fetchMe().then(
      ({ user }) => setUser(user),
      () => setUser(null),
    );
  }, []);

  const signOut = useCallback(async () => {
    await logOut().catch(() => {});
    setUser(null);
    window.dispatchEvent(new Event(STAFF_SESSION_EVENT));
  }, []);

  const signIn = useCallback((next: StaffUser) => {
    setUser(next);
    window.dispatchEvent(new Event(STAFF_SESSION_EVENT));
  }, []);

  if (user === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (user === null) return <CouncilLogin onSignedIn={signIn} />;
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

/** The staff sign-in, for someone who opens /council first: the same account and session as /staff. */
function CouncilLogin({ onSignedIn }: { onSignedIn: (user: StaffUser) => void }) {
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
      <h1 className="page-title">{t('council.title')}</h1>
      <p className="page-intro">{t('council.login.intro')}</p>
      <form className="council-login" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor="council-email">
            {t('staff.login.email')}
          </label>
          <input
            id="council-email"
            className="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="council-password">
            {t('staff.login.password')}
          </label>
          <input
            id="council-password"
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={isSending}>
          {t('staff.login.submit')}
        </button>
      </form>
    </div>
  );
}
