import { useI18n } from '../../../i18n';
import { useAsync } from '../../../lib/use-async';
import { useCategories } from '../../categories/hooks/use-categories';
import { fetchAreas } from '../../map/api/map-api';
import { fetchTeams } from '../api/council-api';
import { formatDay } from '../council-format';
import {
  COUNCIL_PERIODS,
  COUNCIL_STATUSES,
  DEFAULT_FILTERS,
  countNarrowingFilters,
  parisDay,
  type CouncilFilters,
  type CouncilPeriod,
  type CouncilStatus,
} from '../council-filters';

interface Props {
  filters: CouncilFilters;
  onChange: (filters: CouncilFilters) => void;
  /** Changes whenever the signed-in user does: a supervisor's team list differs from a council member's. */
  userId: number;
}

/** Period, category group and sub-type, status, area and team: one bar, mirrored in the URL. */
export function CouncilFiltersBar({ filters, onChange, userId }: Props) {
  const { t, label, locale } = useI18n();
  const categories = useCategories();
  const areas = useAsync(fetchAreas, []);
  const teams = useAsync(fetchTeams, [userId]);
  const set = (patch: Partial<CouncilFilters>) => onChange({ ...filters, ...patch });

  const groups = categories.status === 'ready' ? categories.data.groups : [];
  const subTypes = groups
    .filter((g) => !filters.group || g.code === filters.group)
    .flatMap((g) => g.categories)
    .sort((a, b) => label(a.label).localeCompare(label(b.label), locale));
  const areaOptions =
    areas.status === 'ready'
      ? areas.data.features
          .map((f) => f.properties)
          .sort((a, b) => a.name.localeCompare(b.name, 'fr', { numeric: true }))
      : [];
  const teamOptions =
    teams.status === 'ready' ? [...teams.data].sort((a, b) => a.name.localeCompare(b.name, 'fr')) : [];
  const narrowing = countNarrowingFilters(filters);

  // What the printed page says about its filters, since the bar itself is not printed.
  const [from, to] = periodBounds(filters);
  const named = (name: string, value: string | undefined) =>
    value ? `${name}${locale === 'fr' ? ' : ' : ': '}${value}` : null;
  const printed = [
    t('council.print.period', { from: from ? formatDay(from, locale) : '…', to: formatDay(to, locale) }),
    named(t('council.filters.group'), groups.find((g) => g.code === filters.group)?.label[locale]),
    named(t('council.filters.category'), subTypes.find((c) => c.code === filters.category)?.label[locale]),
    named(t('council.filters.status'), filters.status ? t(`council.filters.status.${filters.status}`) : undefined),
    named(t('council.filters.area'), areaOptions.find((a) => a.code === filters.area)?.name),
    named(t('council.filters.team'), teamOptions.find((team) => team.code === filters.team)?.name),
  ].filter(Boolean);

  return (
    <>
      <p className="council-print-only">{printed.join(' · ')}</p>
      <form className="council-filters" aria-label={t('council.filters.label')} onSubmit={(e) => e.preventDefault()}>
        <div className="council-filters__field council-filters__field--period">
          <label className="council-filters__label" htmlFor="council-period">
            {t('council.filters.period')}
          </label>
          <select
            id="council-period"
            className="select"
            value={filters.period}
            onChange={(e) => set({ period: e.target.value as CouncilPeriod })}
          >
            {COUNCIL_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`council.filters.period.${p}`)}
              </option>
            ))}
          </select>
        </div>
        {filters.period === 'custom' && (
          <>
            <div className="council-filters__field council-filters__field--date">
              <label className="council-filters__label" htmlFor="council-from">
                {t('council.filters.from')}
              </label>
              <input
                id="council-from"
                className="input"
                type="date"
                value={filters.from}
                max={filters.to || undefined}
                onChange={(e) => set({ from: e.target.value })}
              />
            </div>
            <div className="council-filters__field council-filters__field--date">
              <label className="council-filters__label" htmlFor="council-to">
                {t('council.filters.to')}
              </label>
              <input
                id="council-to"
                className="input"
                type="date"
                value={filters.to}
                min={filters.from || undefined}
                onChange={(e) => set({ to: e.target.value })}
              />
            </div>
          </>
        )}
        <div className="council-filters__field">
          <label className="council-filters__label" htmlFor="council-group">
            {t('council.filters.group')}
          </label>
          <select
            id="council-group"
            className="select"
            value={filters.group}
            onChange={(e) => {
              const group = e.target.value;
              const keepsCategory = groups.some(
                (g) => g.code === group && g.categories.some((c) => c.code === filters.category),
              );
              set({ group, category: group && !keepsCategory ? '' : filters.category });
            }}
          >
            <option value="">{t('council.filters.all')}</option>
            {groups.map((g) => (
              <option key={g.code} value={g.code}>
                {label(g.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="council-filters__field">
          <label className="council-filters__label" htmlFor="council-category">
            {t('council.filters.category')}
          </label>
          <select
            id="council-category"
            className="select"
            value={filters.category}
            onChange={(e) => set({ category: e.target.value })}
          >
            <option value="">{t('council.filters.all')}</option>
            {subTypes.map((c) => (
              <option key={c.code} value={c.code}>
                {label(c.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="council-filters__field">
          <label className="council-filters__label" htmlFor="council-status">
            {t('council.filters.status')}
          </label>
          <select
            id="council-status"
            className="select"
            value={filters.status}
            onChange={(e) => set({ status: e.target.value as CouncilStatus })}
          >
            {COUNCIL_STATUSES.map((s) => (
              <option key={s || 'all'} value={s}>
                {t(`council.filters.status.${s || 'all'}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="council-filters__field">
          <label className="council-filters__label" htmlFor="council-area">
            {t('council.filters.area')}
          </label>
          <select
            id="council-area"
            className="select"
            value={filters.area}
            onChange={(e) => set({ area: e.target.value })}
          >
            <option value="">{t('council.filters.all')}</option>
            {areaOptions.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="council-filters__field">
          <label className="council-filters__label" htmlFor="council-team">
            {t('council.filters.team')}
          </label>
          <select
            id="council-team"
            className="select"
            value={filters.team}
            onChange={(e) => set({ team: e.target.value })}
          >
            <option value="">{t('council.filters.all')}</option>
            {teamOptions.map((team) => (
              <option key={team.code} value={team.code}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div className="council-filters__actions">
          <button
            type="button"
            className="button button--quiet"
            disabled={narrowing === 0 && filters.period === DEFAULT_FILTERS.period}
            onClick={() => onChange({ ...DEFAULT_FILTERS, by: filters.by, mode: filters.mode })}
          >
            {t('council.filters.reset')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The first and last day the API will count for these filters (its default is the last 365 days). */
function periodBounds(filters: CouncilFilters, now = new Date()): [string, string] {
  if (filters.period === '30d') return [parisDay(now, 29), parisDay(now)];
  if (filters.period === 'custom') return [filters.from || '', filters.to || parisDay(now)];
  return [parisDay(now, 364), parisDay(now)];
}
