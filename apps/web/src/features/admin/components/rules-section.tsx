import type { AdminArea, AdminCategory, AdminRule, AdminTeam } from '@pave/shared';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import {
  createRule,
  deleteRule,
  fetchAdminAreas,
  fetchAdminCategories,
  fetchAdminRules,
  fetchAdminTeams,
  patchRule,
  reorderRules,
} from '../api/admin-api';
import { describeWindow } from '../admin-format';
import { AdminError } from './admin-error';

interface Lists {
  rules: AdminRule[];
  teams: AdminTeam[];
  areas: AdminArea[];
  categories: AdminCategory[];
}

const DAY_SETS = { all: null, weekdays: [1, 2, 3, 4, 5], weekend: [6, 7] } as const;

/** The routing rules in evaluation order: the first active rule that matches a report decides its team. */
export function RulesSection() {
  const { t } = useI18n();
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  const load = useCallback(async () => {
    try {
      const [rules, teams, areas, categories] = await Promise.all([
        fetchAdminRules(),
        fetchAdminTeams(),
        fetchAdminAreas(),
        fetchAdminCategories(),
      ]);
      setLists({ ...rules, ...teams, ...areas, ...categories });
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function run(action: () => Promise<unknown>, message = '') {
    setError(null);
    setNotice('');
    try {
      await action();
      setNotice(message);
      await load();
    } catch (caught) {
      setError(caught);
    }
  }

  const setRules = (rules: AdminRule[]) => setLists((current) => current && { ...current, rules });

  async function move(index: number, offset: -1 | 1) {
    if (!lists) return;
    const ids = lists.rules.map((rule) => rule.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + offset, 0, moved!);
    setError(null);
    try {
      setRules((await reorderRules(ids)).rules);
    } catch (caught) {
      setError(caught);
    }
  }

  async function remove(rule: AdminRule) {
    const question = rule.isReferenced ? t('admin.rules.confirmDeactivate') : t('admin.rules.confirmDelete');
    if (!window.confirm(question)) return;
    setError(null);
    try {
      const { outcome } = await deleteRule(rule.id);
      setNotice(outcome === 'deleted' ? t('admin.rules.deleted') : t('admin.rules.deactivated'));
      await load();
    } catch (caught) {
      setError(caught);
    }
  }

  if (!lists) return error ? <AdminError error={error} /> : <p>{t('common.loading')}</p>;

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.tab.rules')}</h2>
      <p className="page-intro">{t('admin.rules.intro')}</p>
      <AdminError error={error} />
      {notice && (
        <p className="admin-notice" role="status">
          {notice}
        </p>
      )}
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="rules-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.rules.position')}</th>
              <th scope="col">{t('admin.rules.criteria')}</th>
              <th scope="col">{t('admin.rules.window')}</th>
              <th scope="col">{t('admin.rules.team')}</th>
              <th scope="col">{t('admin.rules.active')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.rules.map((rule, index) => (
              <tr key={rule.id} data-rule-id={rule.id} className={rule.isActive ? undefined : 'admin-row--off'}>
                <td className="admin-num">{index + 1}</td>
                <td className="admin-criteria">
                  <RuleCriteria rule={rule} lists={lists} />
                  {rule.description && <div className="admin-muted">{rule.description}</div>}
                </td>
                <td>{describeWindow(rule, t) || t('admin.window.always')}</td>
                <td>
                  <select
                    className="select admin-select"
                    aria-label={t('admin.rules.teamOf', { n: index + 1 })}
                    value={rule.team.code}
                    onChange={(e) => void run(() => patchRule(rule.id, { team: e.target.value }))}
                  >
                    {lists.teams.map((team) => (
                      <option key={team.code} value={team.code}>
                        {team.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <label className="admin-check">
                    <input
                      type="checkbox"
                      checked={rule.isActive}
                      onChange={(e) => void run(() => patchRule(rule.id, { isActive: e.target.checked }))}
                    />
                    <span>{rule.isActive ? t('admin.yes') : t('admin.no')}</span>
                  </label>
                </td>
                <td className="admin-actions">
                  <button
                    type="button"
                    className="button button--secondary admin-icon-button"
                    aria-label={t('admin.rules.up', { n: index + 1 })}
                    disabled={index === 0}
                    onClick={() => void move(index, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button--secondary admin-icon-button"
                    aria-label={t('admin.rules.down', { n: index + 1 })}
                    disabled={index === lists.rules.length - 1}
                    onClick={() => void move(index, 1)}
                  >
                    ↓
                  </button>
                  <button type="button" className="button button--quiet" onClick={() => void remove(rule)}>
                    {t('admin.rules.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewRuleForm lists={lists} onCreate={(body) => run(() => createRule(body), t('admin.rules.created'))} />
    </div>
  );
}

function RuleCriteria({ rule, lists }: { rule: AdminRule; lists: Lists }) {
  const { t } = useI18n();
  const category = rule.category && lists.categories.find((c) => c.code === rule.category);
  const area = rule.area && lists.areas.find((a) => a.code === rule.area);
  const parts = [
    rule.category
      ? t('admin.rules.isCategory', { name: category ? category.labelFr : rule.category })
      : rule.group
        ? t('admin.rules.isGroup', { name: rule.group })
        : t('admin.rules.anyCategory'),
    rule.area ? t('admin.rules.inArea', { name: area ? area.name : rule.area }) : t('admin.rules.anyArea'),
  ];
  return <>{parts.join(' · ')}</>;
}

function NewRuleForm({
  lists,
  onCreate,
}: {
  lists: Lists;
  onCreate: (body: Parameters<typeof createRule>[0]) => Promise<void>;
}) {
  const { t } = useI18n();
  const [what, setWhat] = useState('');
  const [area, setArea] = useState('');
  const [team, setTeam] = useState(lists.teams[0]?.code ?? '');
  const [days, setDays] = useState<keyof typeof DAY_SETS>('all');
  const [timeFrom, setTimeFrom] = useState('');
  const [timeTo, setTimeTo] = useState('');
  const [place, setPlace] = useState<'first' | 'last'>('first');
  const [description, setDescription] = useState('');
  const groups = useMemo(() => [...new Set(lists.categories.map((c) => c.group))].sort(), [lists.categories]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const positions = lists.rules.map((rule) => rule.position);
    // "First" goes before every rule (the API keeps positions ≥ 0, so a tie at 0 is left to the id order).
    const position = place === 'first' ? Math.max(0, Math.min(...positions, 10) - 1) : Math.max(...positions, 0) + 10;
    const [kind, code] = what.split(':');
    await onCreate({
      position,
      team,
      category: kind === 'category' ? code : null,
      group: kind === 'group' ? code : null,
      area: area || null,
      // Left out for every day: the API reads an explicit null as a malformed list (see the report on #4).
      days: DAY_SETS[days] ? [...DAY_SETS[days]!] : undefined,
      timeFrom: timeFrom || null,
      timeTo: timeTo || null,
      description: description.trim() || undefined,
    });
  }

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-new-rule">
      <h3 id="admin-new-rule" className="admin-form__title">
        {t('admin.rules.add')}
      </h3>
      <div className="admin-form__grid">
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-what">
            {t('admin.rules.what')}
          </label>
          <select id="admin-f-rules-what" className="select" value={what} onChange={(e) => setWhat(e.target.value)}>
            <option value="">{t('admin.rules.anyCategory')}</option>
            <optgroup label={t('admin.rules.groups')}>
              {groups.map((group) => (
                <option key={group} value={`group:${group}`}>
                  {group}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('admin.rules.categories')}>
              {lists.categories.map((category) => (
                <option key={category.code} value={`category:${category.code}`}>
                  {category.labelFr}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-area">
            {t('admin.rules.area')}
          </label>
          <select id="admin-f-rules-area" className="select" value={area} onChange={(e) => setArea(e.target.value)}>
            <option value="">{t('admin.rules.anyArea')}</option>
            {lists.areas.map((item) => (
              <option key={item.code} value={item.code}>
                {item.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-team">
            {t('admin.rules.team')}
          </label>
          <select
            id="admin-f-rules-team"
            className="select"
            value={team}
            required
            onChange={(e) => setTeam(e.target.value)}
          >
            {lists.teams.map((item) => (
              <option key={item.code} value={item.code}>
                {item.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-days">
            {t('admin.rules.days')}
          </label>
          <select
            id="admin-f-rules-days"
            className="select"
            value={days}
            onChange={(e) => setDays(e.target.value as keyof typeof DAY_SETS)}
          >
            <option value="all">{t('admin.rules.days.all')}</option>
            <option value="weekdays">{t('admin.window.weekdays')}</option>
            <option value="weekend">{t('admin.window.weekend')}</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-timeFrom">
            {t('admin.rules.timeFrom')}
          </label>
          <input
            id="admin-f-rules-timeFrom"
            className="input"
            type="time"
            value={timeFrom}
            onChange={(e) => setTimeFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-timeTo">
            {t('admin.rules.timeTo')}
          </label>
          <input
            id="admin-f-rules-timeTo"
            className="input"
            type="time"
            value={timeTo}
            onChange={(e) => setTimeTo(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-place">
            {t('admin.rules.place')}
          </label>
          <select
            id="admin-f-rules-place"
            className="select"
            value={place}
            onChange={(e) => setPlace(e.target.value as 'first' | 'last')}
          >
            <option value="first">{t('admin.rules.place.first')}</option>
            <option value="last">{t('admin.rules.place.last')}</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-f-rules-description">
            {t('admin.rules.description')}
          </label>
          <input
            id="admin-f-rules-description"
            className="input"
            value={description}
            maxLength={500}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <p className="field-hint">{t('admin.rules.timeHint')}</p>
      <button type="submit" className="button button--primary">
        {t('admin.rules.submit')}
      </button>
    </form>
  );
}
