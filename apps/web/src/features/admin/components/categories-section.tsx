import type { AdminCategory } from '@pave/shared';
import { DEADLINE_MODES } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { fetchAdminCategories, patchCategory } from '../api/admin-api';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminCheck, AdminSection } from './admin-section';

/** Deadlines (hours, calendar or working time), the sensitive flag and availability of each category. */
export function CategoriesSection() {
  const { t } = useI18n();
  const { data, setData, error, notice, run } = useAdminSection(fetchAdminCategories);
  const categories = data?.categories;

  const save = (code: string, body: Parameters<typeof patchCategory>[1]) =>
    run(async () => {
      const updated = await patchCategory(code, body);
      setData((current) => current && { categories: current.categories.map((c) => (c.code === code ? updated : c)) });
    }, t('admin.saved'));

  return (
    <AdminSection title={t('admin.tab.categories')} intro={t('admin.categories.intro')} error={error} notice={notice}>
      <AdminTable
        testId="categories-table"
        columns={[
          'admin.categories.label',
          'admin.categories.group',
          'admin.categories.hours',
          'admin.categories.mode',
          'admin.categories.sensitive',
          'admin.categories.active',
        ]}
      >
        {(categories ?? []).map((category) => (
          <tr key={category.code} className={category.isActive ? undefined : 'admin-row--off'}>
            <th scope="row">{category.labelFr}</th>
            <td>{category.group}</td>
            <td>
              <input
                // Keyed by the saved value: an answer from the API resets what was typed.
                key={category.deadlineHours}
                className="input admin-input admin-input--short"
                type="number"
                min={1}
                max={24 * 365}
                aria-label={t('admin.categories.hoursOf', { name: category.labelFr })}
                defaultValue={category.deadlineHours}
                onBlur={(e) => {
                  const hours = Number(e.target.value);
                  if (Number.isInteger(hours) && hours !== category.deadlineHours) {
                    void save(category.code, { deadlineHours: hours });
                  }
                }}
              />
            </td>
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.categories.modeOf', { name: category.labelFr })}
                value={category.deadlineMode}
                onChange={(e) =>
                  void save(category.code, { deadlineMode: e.target.value as AdminCategory['deadlineMode'] })
                }
              >
                {DEADLINE_MODES.map((mode) => (
                  <option key={mode} value={mode}>
                    {t(`admin.categories.mode.${mode}`)}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <AdminCheck
                checked={category.isSensitive}
                onChecked={(isSensitive) => void save(category.code, { isSensitive })}
              />
            </td>
            <td>
              <AdminCheck
                checked={category.isActive}
                onChecked={(isActive) => void save(category.code, { isActive })}
              />
            </td>
          </tr>
        ))}
      </AdminTable>
    </AdminSection>
  );
}
