import type { AdminCategory } from '@pave/shared';
import { DEADLINE_MODES } from '@pave/shared';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { fetchAdminCategories, patchCategory } from '../api/admin-api';
import { useAdminFeedback } from '../hooks/use-admin-feedback';
import { AdminFeedback } from './admin-feedback';

/** Deadlines (hours, calendar or working time), the sensitive flag and availability of each category. */
export function CategoriesSection() {
  const { t } = useI18n();
  const [categories, setCategories] = useState<AdminCategory[] | null>(null);
  const { error, setError, notice, run } = useAdminFeedback();

  const load = useCallback(async () => {
    try {
      setCategories((await fetchAdminCategories()).categories);
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const save = (code: string, body: Parameters<typeof patchCategory>[1]) =>
    run(async () => {
      const updated = await patchCategory(code, body);
      setCategories((current) => current && current.map((c) => (c.code === code ? updated : c)));
    }, t('admin.saved'));

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.tab.categories')}</h2>
      <p className="page-intro">{t('admin.categories.intro')}</p>
      <AdminFeedback error={error} notice={notice} />
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="categories-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.categories.label')}</th>
              <th scope="col">{t('admin.categories.group')}</th>
              <th scope="col">{t('admin.categories.hours')}</th>
              <th scope="col">{t('admin.categories.mode')}</th>
              <th scope="col">{t('admin.categories.sensitive')}</th>
              <th scope="col">{t('admin.categories.active')}</th>
            </tr>
          </thead>
          <tbody>
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
                  <label className="admin-check">
                    <input
                      type="checkbox"
                      checked={category.isSensitive}
                      onChange={(e) => void save(category.code, { isSensitive: e.target.checked })}
                    />
                    <span>{category.isSensitive ? t('admin.yes') : t('admin.no')}</span>
                  </label>
                </td>
                <td>
                  <label className="admin-check">
                    <input
                      type="checkbox"
                      checked={category.isActive}
                      onChange={(e) => void save(category.code, { isActive: e.target.checked })}
                    />
                    <span>{category.isActive ? t('admin.yes') : t('admin.no')}</span>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
