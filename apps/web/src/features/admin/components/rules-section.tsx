import type { AdminArea, AdminCategory, AdminRule, AdminTeam } from '@pave/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
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
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminError } from './admin-error';
import { AdminFeedback } from './admin-feedback';
import { TeamOptions } from './team-options';

interface Lists {
  rules: AdminRule[];
  teams: AdminTeam[];
  areas: AdminArea[];
  categories: AdminCategory[];
}

const DAY_SETS = { all: null, weekdays: [1, 2, 3, 4, 5], weekend: [6, 7] } as const;

async function readLists(): Promise<Lists> {
  const [rules, teams, areas, categories] = await Promise.all([
    fetchAdminRules(),
    fetchAdminTeams(),
    fetchAdminAreas(),
    fetchAdminCategories(),
  ]);
  return { ...rules, ...teams, ...areas, ...categories };
}

/** The routing rules in evaluation order: the first active rule that matches a report decides its team. */
export function RulesSection() {
  const { t } = useI18n();
  const {
    data: lists,
    setData: setLists,
    error,
    setError,
    notice,
    setNotice,
    reload,
    runAndReload,
  } = useAdminSection(readLists);
  const [editing, setEditing] = useState<AdminRule | null>(null);

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
      await reload();
    } catch (caught) {
      setError(caught);
    }
  }

  if (!lists) return error ? <AdminError error={error} /> : <p>{t('common.loading')}</p>;

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.tab.rules')}</h2>
      <p className="page-intro">{t('admin.rules.intro')}</p>
      <AdminFeedback error={error} notice={notice} />
      <AdminTable
        testId="rules-table"
        columns={[
          t('admin.rules.position'),
          t('admin.rules.criteria'),
          t('admin.rules.window'),
          t('admin.rules.team'),
          t('admin.rules.active'),
          t('admin.actions'),
        ]}
      >
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
                onChange={(e) => void runAndReload(() => patchRule(rule.id, { team: e.target.value }))}
              >
                <TeamOptions teams={lists.teams} />
              </select>
            </td>
            <td>
              <label className="admin-check">
                <input
                  type="checkbox"
                  checked={rule.isActive}
                  onChange={(e) => void runAndReload(() => patchRule(rule.id, { isActive: e.target.checked }))}
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
              <button
                type="button"
                className="button button--secondary"
                aria-label={t('admin.rules.editOf', { n: index + 1 })}
                onClick={() => setEditing(rule)}
              >
                {t('admin.rules.edit')}
              </button>
              <button type="button" className="button button--quiet" onClick={() => void remove(rule)}>
                {t('admin.rules.delete')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      {editing ? (
        <RuleForm
          key={editing.id}
          lists={lists}
          rule={editing}
          title={t('admin.rules.editTitle', { n: lists.rules.findIndex((r) => r.id === editing.id) + 1 })}
          onSubmit={({ position: _position, ...body }) =>
            runAndReload(() => patchRule(editing.id, body), t('admin.rules.saved')).then(() => setEditing(null))
          }
          onCancel={() => setEditing(null)}
        />
      ) : (
        <RuleForm
          lists={lists}
          title={t('admin.rules.add')}
          onSubmit={(body) => runAndReload(() => createRule(body), t('admin.rules.created'))}
        />
      )}
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

/** The days a rule's list stands for in the form; `kept`: another set, left as it is. */
function daysChoice(days: number[] | null): keyof typeof DAY_SETS | 'kept' {
  if (days === null) return 'all';
  const key = days.join(',');
  if (key === DAY_SETS.weekdays.join(',')) return 'weekdays';
  if (key === DAY_SETS.weekend.join(',')) return 'weekend';
  return 'kept';
}

/** Adds a rule, or (with `rule`) edits one: what it matches, where, when, and which team gets it. */
function RuleForm({
  lists,
  rule,
  title,
  onSubmit,
  onCancel,
}: {
  lists: Lists;
  rule?: AdminRule;
  title: string;
  onSubmit: (body: Parameters<typeof createRule>[0]) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [what, setWhat] = useState(
    rule?.category ? `category:${rule.category}` : rule?.group ? `group:${rule.group}` : '',
  );
  const [area, setArea] = useState(rule?.area ?? '');
  const [team, setTeam] = useState(rule?.team.code ?? lists.teams[0]?.code ?? '');
  const [days, setDays] = useState(daysChoice(rule?.days ?? null));
  const [timeFrom, setTimeFrom] = useState(rule?.timeFrom ?? '');
  const [timeTo, setTimeTo] = useState(rule?.timeTo ?? '');
  const [place, setPlace] = useState<'first' | 'last'>('first');
  const [description, setDescription] = useState(rule?.description ?? '');
  const groups = useMemo(() => [...new Set(lists.categories.map((c) => c.group))].sort(), [lists.categories]);
  const id = rule ? `admin-f-rule-${rule.id}` : 'admin-f-rules';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const positions = lists.rules.map((r) => r.position);
    // "First" goes before every rule (the API keeps positions ≥ 0, so a tie at 0 is left to the id order).
    const position = place === 'first' ? Math.max(0, Math.min(...positions, 10) - 1) : Math.max(...positions, 0) + 10;
    const [kind, code] = what.split(':');
    await onSubmit({
      position,
      team,
      category: kind === 'category' ? code : null,
      group: kind === 'group' ? code : null,
      area: area || null,
      // null: every day. A set the form has no name for is sent back unchanged.
      days: days === 'kept' ? rule!.days : days === 'all' ? null : [...DAY_SETS[days]!],
      timeFrom: timeFrom || null,
      timeTo: timeTo || null,
      description: description.trim(),
    });
  }

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="admin-form__title">
        {title}
      </h3>
      <div className="admin-form__grid">
        <SelectField id={`${id}-what`} label={t('admin.rules.what')} value={what} onValue={setWhat}>
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
        </SelectField>
        <SelectField id={`${id}-area`} label={t('admin.rules.area')} value={area} onValue={setArea}>
          <option value="">{t('admin.rules.anyArea')}</option>
          {lists.areas.map((item) => (
            <option key={item.code} value={item.code}>
              {item.name}
            </option>
          ))}
        </SelectField>
        <SelectField id={`${id}-team`} label={t('admin.rules.team')} value={team} required onValue={setTeam}>
          <TeamOptions teams={lists.teams} />
        </SelectField>
        <SelectField
          id={`${id}-days`}
          label={t('admin.rules.days')}
          value={days}
          onValue={(value) => setDays(value as keyof typeof DAY_SETS | 'kept')}
        >
          <option value="all">{t('admin.rules.days.all')}</option>
          {days === 'kept' && rule && (
            <option value="kept">{describeWindow({ ...rule, timeFrom: null, timeTo: null }, t)}</option>
          )}
          <option value="weekdays">{t('admin.window.weekdays')}</option>
          <option value="weekend">{t('admin.window.weekend')}</option>
        </SelectField>
        <TextField
          id={`${id}-timeFrom`}
          label={t('admin.rules.timeFrom')}
          type="time"
          value={timeFrom}
          onValue={setTimeFrom}
        />
        <TextField id={`${id}-timeTo`} label={t('admin.rules.timeTo')} type="time" value={timeTo} onValue={setTimeTo} />
        {!rule && (
          <SelectField
            id={`${id}-place`}
            label={t('admin.rules.place')}
            value={place}
            onValue={(value) => setPlace(value as 'first' | 'last')}
          >
            <option value="first">{t('admin.rules.place.first')}</option>
            <option value="last">{t('admin.rules.place.last')}</option>
          </SelectField>
        )}
        <TextField
          id={`${id}-description`}
          label={t('admin.rules.description')}
          value={description}
          maxLength={500}
          onValue={setDescription}
        />
      </div>
      <p className="field-hint">{t('admin.rules.timeHint')}</p>
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary">
          {rule ? t('admin.rules.save') : t('admin.rules.submit')}
        </button>
        {onCancel && (
          <button type="button" className="button button--quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
