import { useEffect, useState } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { CategoryOptions } from '../../categories/components/category-options';
import { useCategories } from '../../categories/hooks/use-categories';
import { fetchAreas } from '../../map/api/map-api';
import { useAsync } from '../../../lib/use-async';
import { fetchTeams } from '../api/staff-api';
import { STATUS_FILTERS, countExtraFilters, type QueueState, type StatusFilter } from '../hooks/use-queue-state';

/**
 * The queue's filter bar, phone first: the search and the chips a thumb reaches, then the rarer
 * filters (category, area, team) folded under "more filters".
 */
export function StaffFilters({
  state,
  onChange,
  onReset,
  canSeeTeams,
  canBeAssigned,
}: {
  state: QueueState;
  onChange: (patch: Partial<QueueState>) => void;
  onReset: () => void;
  canSeeTeams: boolean;
  canBeAssigned: boolean;
}) {
  const { t } = useI18n();
  const categories = useCategories();
  const areas = useAsync(fetchAreas, []);
  const teams = useAsync(() => (canSeeTeams ? fetchTeams() : Promise.resolve({ teams: [] })), [canSeeTeams]);
  // Typing stays local; the queue reloads once the field has been still for a moment.
  const [text, setText] = useState(state.q);
  useEffect(() => {
    if (text === state.q) return;
    const timer = setTimeout(() => onChange({ q: text }), 250);
    return () => clearTimeout(timer);
  }, [text, state.q, onChange]);

  const extra = countExtraFilters(state);
  const hasFilters = extra > 0 || state.late || state.mine || state.q !== '' || state.status !== 'open';

  return (
    <section className="staff-filters" aria-label={t('staff.filter.label')}>
      <TextField
        fieldClassName="field staff-search"
        id="staff-search"
        label={t('staff.search')}
        type="search"
        enterKeyHint="search"
        value={text}
        onValue={setText}
      />
      <div className="staff-chip-row">
        <fieldset className="staff-chips">
          <legend className="visually-hidden">{t('staff.filter.status')}</legend>
          {(Object.keys(STATUS_FILTERS) as StatusFilter[]).map((key) => (
            <label key={key} className={`chip${state.status === key ? ' is-checked' : ''}`}>
              <input
                type="radio"
                name="staff-status"
                value={key}
                checked={state.status === key}
                // Closed reports are never late: choosing them drops the lateness toggle.
                onChange={() => onChange(key === 'closed' ? { status: key, late: false } : { status: key })}
              />
              {t(`staff.filter.${key}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="staff-chips staff-toggles">
          <legend className="visually-hidden">{t('staff.filter.narrow')}</legend>
          {state.status !== 'closed' && (
            <label className={`chip chip--late${state.late ? ' is-checked' : ''}`}>
              <input type="checkbox" checked={state.late} onChange={(e) => onChange({ late: e.target.checked })} />
              {t('staff.filter.late')}
            </label>
          )}
          {canBeAssigned && (
            <label className={`chip${state.mine ? ' is-checked' : ''}`}>
              <input type="checkbox" checked={state.mine} onChange={(e) => onChange({ mine: e.target.checked })} />
              {t('staff.filter.mine')}
            </label>
          )}
        </fieldset>
      </div>
      {/* "Late" narrows the status chosen, it does not replace it: the queue says so in words. */}
      <p className="staff-filter-summary" aria-live="polite" data-testid="staff-filter-summary">
        {state.late ? t('staff.filter.lateAmong', { status: t(`staff.filter.${state.status}`) }) : ''}
      </p>
      <details className="staff-more">
        <summary>
          {t('staff.filter.more')}
          {extra > 0 && <span className="staff-more-count"> ({extra})</span>}
        </summary>
        <div className="staff-more-fields">
          <SelectField
            id="staff-category"
            label={t('staff.filter.category')}
            className="input"
            value={state.category}
            onValue={(category) => onChange({ category })}
          >
            <option value="">{t('staff.filter.any')}</option>
            {categories.data && <CategoryOptions tree={categories.data} />}
          </SelectField>
          <SelectField
            id="staff-area"
            label={t('staff.filter.area')}
            className="input"
            value={state.area}
            onValue={(area) => onChange({ area })}
          >
            <option value="">{t('staff.filter.any')}</option>
            {areas.data?.features.map((f) => (
              <option key={f.properties.code} value={f.properties.code}>
                {f.properties.name}
              </option>
            ))}
          </SelectField>
          {canSeeTeams && (
            <SelectField
              id="staff-team"
              label={t('staff.filter.team')}
              className="input"
              value={state.team}
              onValue={(team) => onChange({ team })}
            >
              <option value="">{t('staff.filter.any')}</option>
              {teams.data?.teams.map((team) => (
                <option key={team.code} value={team.code}>
                  {team.name}
                </option>
              ))}
            </SelectField>
          )}
        </div>
      </details>
      {hasFilters && (
        <button
          type="button"
          className="button button--quiet staff-reset"
          onClick={() => {
            setText('');
            onReset();
          }}
        >
          {t('staff.filter.reset')}
        </button>
      )}
    </section>
  );
}
