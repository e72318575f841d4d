import type { AdminCategory } from '@pave/shared';
import { DEADLINE_MODES } from '@pave/shared';
import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { messageKeyOf } from '../admin-errors';
import { fetchAdminCategories, patchCategory } from '../api/admin-api';
import { useAdminSection, useRowRefusal } from '../hooks/use-admin-feedback';
import { AdminFieldError, invalidProps } from './admin-error';
import { AdminCheck, AdminSection } from './admin-section';

type RowControl = 'hours' | 'mode' | 'sensitive' | 'active';

const HOURS_MAX = 24 * 365;
const categoryKeyOf = (code: string) => (code === 'CATEGORY_NOT_FOUND' ? 'admin.categories.gone' : messageKeyOf(code));

/** Deadlines (hours, calendar or working time), the sensitive flag and availability of each category. */
export function CategoriesSection() {
  const { t } = useI18n();
  const { data, setData, error, notice, setNotice } = useAdminSection(fetchAdminCategories);
  const categories = data?.categories;
  // A refusal is said in the category's row, under the control that caused it.
  const rows = useRowRefusal<RowControl>();
  // Hours the API would refuse, said under the field before anything is sent.
  const [badHours, setBadHours] = useState<string | null>(null);
  const errorId = (code: string, control: RowControl) => `admin-category-${code}-${control}-error`;
  const errorOf = (code: string, control: RowControl) => rows.errorOf(code, control);

  async function save(code: string, control: RowControl, body: Parameters<typeof patchCategory>[1]) {
    setNotice('');
    setBadHours(null);
    const isDone = await rows.attempt(code, control, async () => {
      const updated = await patchCategory(code, body);
      setData((current) => current && { categories: current.categories.map((c) => (c.code === code ? updated : c)) });
    });
    if (isDone) setNotice(t('admin.saved'));
  }

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
        {(categories ?? []).map((category) => {
          const hoursId = errorId(category.code, 'hours');
          const hoursProblem = badHours === category.code ? 'admin.categories.hoursRange' : null;
          return (
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
                  max={HOURS_MAX}
                  aria-label={t('admin.categories.hoursOf', { name: category.labelFr })}
                  defaultValue={category.deadlineHours}
                  {...invalidProps(hoursId, hoursProblem ?? errorOf(category.code, 'hours'))}
                  onBlur={(e) => {
                    const hours = Number(e.target.value);
                    const isValid =
                      e.target.value !== '' && Number.isInteger(hours) && hours >= 1 && hours <= HOURS_MAX;
                    if (!isValid) {
                      rows.clear();
                      setBadHours(category.code);
                    } else if (hours !== category.deadlineHours) {
                      void save(category.code, 'hours', { deadlineHours: hours });
                    } else if (badHours === category.code) {
                      setBadHours(null);
                    }
                  }}
                />
                {hoursProblem ? (
                  <p id={hoursId} className="field-error admin-field-error" role="alert">
                    {t(hoursProblem)}
                  </p>
                ) : (
                  <AdminFieldError id={hoursId} error={errorOf(category.code, 'hours')} keyOf={categoryKeyOf} />
                )}
              </td>
              <td>
                <select
                  className="select admin-select"
                  aria-label={t('admin.categories.modeOf', { name: category.labelFr })}
                  value={category.deadlineMode}
                  onChange={(e) =>
                    void save(category.code, 'mode', { deadlineMode: e.target.value as AdminCategory['deadlineMode'] })
                  }
                  {...invalidProps(errorId(category.code, 'mode'), errorOf(category.code, 'mode'))}
                >
                  {DEADLINE_MODES.map((mode) => (
                    <option key={mode} value={mode}>
                      {t(`admin.categories.mode.${mode}`)}
                    </option>
                  ))}
                </select>
                <AdminFieldError
                  id={errorId(category.code, 'mode')}
                  error={errorOf(category.code, 'mode')}
                  keyOf={categoryKeyOf}
                />
              </td>
              {(['sensitive', 'active'] as const).map((control) => (
                <td key={control}>
                  <AdminCheck
                    checked={control === 'sensitive' ? category.isSensitive : category.isActive}
                    onChecked={(checked) =>
                      void save(
                        category.code,
                        control,
                        control === 'sensitive' ? { isSensitive: checked } : { isActive: checked },
                      )
                    }
                    {...invalidProps(errorId(category.code, control), errorOf(category.code, control))}
                  />
                  <AdminFieldError
                    id={errorId(category.code, control)}
                    error={errorOf(category.code, control)}
                    keyOf={categoryKeyOf}
                  />
                </td>
              ))}
            </tr>
          );
        })}
      </AdminTable>
    </AdminSection>
  );
}
