import { SelectField, TextField } from '../../../components/form-field';
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
  /** The id, label and classes every field of the bar shares. */
  const frame = (name: 'period' | 'from' | 'to' | 'group' | 'category' | 'status' | 'area' | 'team') => ({
    id: `council-${name}`,
    label: t(`council.filters.${name}`),
    fieldClassName: 'council-filters__field',
    labelClassName: 'council-filters__label',
  });

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
        <SelectField
          {...frame('period')}
          fieldClassName="council-filters__field council-filters__field--period"
          value={filters.period}
          onValue={(period) => set({ period: period as CouncilPeriod })}
        >
          {COUNCIL_PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`council.filters.period.${p}`)}
            </option>
          ))}
        </SelectField>
        {filters.period === 'custom' && (
          <>
            <TextField
              {...frame('from')}
              fieldClassName="council-filters__field council-filters__field--date"
              type="date"
              value={filters.from}
              max={filters.to || undefined}
              onValue={(from) => set({ from })}
            />
            <TextField
              {...frame('to')}
              fieldClassName="council-filters__field council-filters__field--date"
              type="date"
              value={filters.to}
              min={filters.from || undefined}
              onValue={(to) => set({ to })}
            />
          </>
        )}
        <ChoiceFilter
          {...frame('group')}
          value={filters.group}
          choices={groups.map((g) => ({ value: g.code, label: label(g.label) }))}
          onValue={(group) => {
            const keepsCategory = groups.some(
              (g) => g.code === group && g.categories.some((c) => c.code === filters.category),
            );
            set({ group, category: group && !keepsCategory ? '' : filters.category });
          }}
        />
        <ChoiceFilter
          {...frame('category')}
          value={filters.category}
          choices={subTypes.map((c) => ({ value: c.code, label: label(c.label) }))}
          onValue={(category) => set({ category })}
        />
        <SelectField
          {...frame('status')}
          value={filters.status}
          onValue={(status) => set({ status: status as CouncilStatus })}
        >
          {COUNCIL_STATUSES.map((s) => (
            <option key={s || 'all'} value={s}>
              {t(`council.filters.status.${s || 'all'}`)}
            </option>
          ))}
        </SelectField>
        <ChoiceFilter
          {...frame('area')}
          value={filters.area}
          choices={areaOptions.map((a) => ({ value: a.code, label: a.name }))}
          onValue={(area) => set({ area })}
        />
        <ChoiceFilter
          {...frame('team')}
          value={filters.team}
          choices={teamOptions.map((team) => ({ value: team.code, label: team.name }))}
          onValue={(team) => set({ team })}
        />
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

interface ChoiceFilterProps {
  id: string;
  label: string;
  fieldClassName: string;
  labelClassName: string;
  value: string;
  choices: { value: string; label: string }[];
  onValue: (value: string) => void;
}

/** A select whose first option, the empty value, counts everything. */
function ChoiceFilter({ choices, ...field }: ChoiceFilterProps) {
  const { t } = useI18n();
  return (
    <SelectField {...field}>
      <option value="">{t('council.filters.all')}</option>
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </SelectField>
  );
}

/** The first and last day the API will count for these filters (its default is the last 365 days). */
function periodBounds(filters: CouncilFilters, now = new Date()): [string, string] {
  if (filters.period === '30d') return [parisDay(now, 29), parisDay(now)];
  if (filters.period === 'custom') return [filters.from || '', filters.to || parisDay(now)];
  return [parisDay(now, 364), parisDay(now)];
}
