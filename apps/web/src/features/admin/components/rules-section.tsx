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
import { describeWindow } from '../admin-format';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminError } from './admin-error';
import { AdminPager, AdminSearch, useSearchPage } from './admin-list-tools';
import { AdminCheck, AdminSection } from './admin-section';
import { RuleForm, type RuleLists } from './rule-form';
import { TeamOptions } from './team-options';

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
              <AdminCheck
                checked={rule.isActive}
                onChecked={(isActive) => void runAndReload(() => patchRule(rule.id, { isActive }))}
              />
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
      <AdminPager page={list.page} pages={list.pages} onPage={list.setPage} />
      {editing ? (
        <RuleForm
          key={editing.id}
          lists={lists}
          rule={editing}
          title={t('admin.rules.editTitle', { n: lists.rules.findIndex((r) => r.id === editing.id) + 1 })}
          onSubmit={async ({ position: _position, ...body }) => {
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
