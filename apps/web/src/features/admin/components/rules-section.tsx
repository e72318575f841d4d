import type { AdminRule } from '@pave/shared';
import { useState } from 'react';
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
import { messageKeyOf } from '../admin-errors';
import { describeWindow } from '../admin-format';
import { useAdminSection, useRowRefusal } from '../hooks/use-admin-feedback';
import { AdminError, AdminFieldError, invalidProps } from './admin-error';
import { AdminPager, AdminSearch, useSearchPage } from './admin-list-tools';
import { AdminCheck, AdminSection } from './admin-section';
import { RuleForm, type RuleLists } from './rule-form';
import { TeamOptions } from './team-options';
import { useAdminTowns } from '../hooks/use-admin-towns';
import { TownCell } from './town-field';

type RowControl = 'team' | 'active' | 'order' | 'delete';

/** A refused change to one rule: the rule is gone when another admin deleted it meanwhile. */
const ruleKeyOf = (code: string) => (code === 'RULE_NOT_FOUND' ? 'admin.rules.gone' : messageKeyOf(code));
/** A refused move: the API takes the whole order, which another admin's change makes stale. */
const orderKeyOf = (code: string) =>
  code === 'RULE_NOT_FOUND' || code === 'VALIDATION_FAILED' ? 'admin.rules.listChanged' : messageKeyOf(code);

async function readLists(): Promise<RuleLists> {
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
  const { data: lists, setData: setLists, error, setError, notice, setNotice, reload } = useAdminSection(readLists);
  const [editing, setEditing] = useState<AdminRule | null>(null);
  const { isMetropolitan } = useAdminTowns();
  // A row action's refusal is said in its row, beside the control (the top of the section may be
  // thousands of pixels away).
  const rows = useRowRefusal<RowControl>();
  const errorId = (rule: AdminRule, control: RowControl) => `admin-rule-${rule.id}-${control}-error`;

  const list = useSearchPage(lists?.rules ?? [], (rule) => {
    const category = rule.category && lists?.categories.find((c) => c.code === rule.category);
    const area = rule.area && lists?.areas.find((a) => a.code === rule.area);
    return [
      rule.category,
      category ? category.labelFr : '',
      rule.group,
      rule.area,
      area ? area.name : '',
      rule.team.code,
      rule.team.name,
      rule.description,
    ].join(' ');
  });

  /** A form's save: the refusal goes back to the form (said beside its buttons), the success to the section. */
  async function saveFromForm(action: () => Promise<unknown>, message: string): Promise<unknown> {
    setError(null);
    setNotice('');
    try {
      await action();
    } catch (caught) {
      return caught;
    }
    setNotice(message);
    await reload();
    return null;
  }

  const setRules = (rules: AdminRule[]) => setLists((current) => current && { ...current, rules });

  async function move(rule: AdminRule, index: number, offset: -1 | 1) {
    if (!lists) return;
    const ids = lists.rules.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + offset, 0, moved!);
    setNotice('');
    const isDone = await rows.attempt(rule.id, 'order', async () => setRules((await reorderRules(ids)).rules));
    // The order on screen was stale: the stored one is read, so the next try starts from it.
    if (!isDone) await reload();
  }

  /** Changes one rule from its row, then reads the list back: the table shows what was stored. */
  async function change(rule: AdminRule, control: RowControl, body: Parameters<typeof patchRule>[1]) {
    setNotice('');
    if (await rows.attempt(rule.id, control, () => patchRule(rule.id, body))) await reload();
  }

  async function remove(rule: AdminRule) {
    const question = rule.isReferenced ? t('admin.rules.confirmDeactivate') : t('admin.rules.confirmDelete');
    if (!window.confirm(question)) return;
    setNotice('');
    const isDone = await rows.attempt(rule.id, 'delete', async () => {
      const { outcome } = await deleteRule(rule.id);
      setNotice(outcome === 'deleted' ? t('admin.rules.deleted') : t('admin.rules.deactivated'));
    });
    if (isDone) await reload();
  }

  if (!lists) return error ? <AdminError error={error} /> : <p>{t('common.loading')}</p>;

  return (
    <AdminSection title={t('admin.tab.rules')} intro={t('admin.rules.intro')} error={error} notice={notice}>
      <AdminSearch
        id="admin-rules-search"
        label={t('admin.rules.search')}
        query={list.query}
        onQuery={list.setQuery}
        found={list.found}
        total={list.total}
      />
      <AdminTable
        testId="rules-table"
        columns={[
          'admin.rules.position',
          'admin.rules.criteria',
          ...(isMetropolitan ? (['admin.town.label'] as const) : []),
          'admin.rules.window',
          'admin.rules.team',
          'admin.rules.active',
          'admin.actions',
        ]}
      >
        {list.shown.map(({ item: rule, index }) => (
          <tr key={rule.id} data-rule-id={rule.id} className={rule.isActive ? undefined : 'admin-row--off'}>
            <td className="admin-num">{index + 1}</td>
            <td className="admin-criteria">
              <RuleCriteria rule={rule} lists={lists} />
              {rule.description && <div className="admin-muted">{rule.description}</div>}
            </td>
            <TownCell town={rule.town} />
            <td>{describeWindow(rule, t) || t('admin.window.always')}</td>
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.rules.teamOf', { n: index + 1 })}
                value={rule.team.code}
                onChange={(e) => void change(rule, 'team', { team: e.target.value })}
                {...invalidProps(errorId(rule, 'team'), rows.errorOf(rule.id, 'team'))}
              >
                <TeamOptions teams={lists.teams} />
              </select>
              <AdminFieldError id={errorId(rule, 'team')} error={rows.errorOf(rule.id, 'team')} keyOf={ruleKeyOf} />
            </td>
            <td>
              <AdminCheck
                checked={rule.isActive}
                onChecked={(isActive) => void change(rule, 'active', { isActive })}
                {...invalidProps(errorId(rule, 'active'), rows.errorOf(rule.id, 'active'))}
              />
              <AdminFieldError id={errorId(rule, 'active')} error={rows.errorOf(rule.id, 'active')} keyOf={ruleKeyOf} />
            </td>
            <td className="admin-actions">
              <button
                type="button"
                className="button button--secondary admin-icon-button"
                aria-label={t('admin.rules.up', { n: index + 1 })}
                disabled={index === 0}
                onClick={() => void move(rule, index, -1)}
                {...invalidProps(errorId(rule, 'order'), rows.errorOf(rule.id, 'order'))}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button--secondary admin-icon-button"
                aria-label={t('admin.rules.down', { n: index + 1 })}
                disabled={index === lists.rules.length - 1}
                onClick={() => void move(rule, index, 1)}
                {...invalidProps(errorId(rule, 'order'), rows.errorOf(rule.id, 'order'))}
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
              <button
                type="button"
                className="button button--quiet"
                onClick={() => void remove(rule)}
                {...invalidProps(errorId(rule, 'delete'), rows.errorOf(rule.id, 'delete'))}
              >
                {t('admin.rules.delete')}
              </button>
              <AdminFieldError id={errorId(rule, 'order')} error={rows.errorOf(rule.id, 'order')} keyOf={orderKeyOf} />
              <AdminFieldError id={errorId(rule, 'delete')} error={rows.errorOf(rule.id, 'delete')} keyOf={ruleKeyOf} />
            </td>
          </tr>
        ))}
      </AdminTable>
      <AdminPager page={list.page} pages={list.pages} onPage={list.setPage} />
      {editing ? (
        <RuleForm
          key={editing.id}
          lists={lists}
          rule={editing}
          title={t('admin.rules.editTitle', { n: lists.rules.findIndex((r) => r.id === editing.id) + 1 })}
          onSubmit={async ({ position: _position, town: _town, ...body }) => {
            const refusal = await saveFromForm(() => patchRule(editing.id, body), t('admin.rules.saved'));
            // Closed only once saved: a refused edit stays open, its reason beside its buttons.
            if (refusal === null) setEditing(null);
            return refusal;
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <RuleForm
          lists={lists}
          title={t('admin.rules.add')}
          onSubmit={(body) => saveFromForm(() => createRule(body), t('admin.rules.created'))}
        />
      )}
    </AdminSection>
  );
}

function RuleCriteria({ rule, lists }: { rule: AdminRule; lists: RuleLists }) {
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
