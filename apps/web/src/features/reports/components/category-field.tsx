import { useId } from 'react';
import type { CategoryTree } from '@pave/shared';
import { useI18n } from '../../../i18n';
import type { AsyncState } from '../../../lib/use-async';
import type { CategoryTreeWithPopular } from '../hooks/use-category-entries';
import { CategoryPicker } from './category-picker';

/** The report form's category: the picker once the tree is in (or why not), then what is missing. */
export function CategoryField({
  categories,
  value,
  onChange,
  isMissing,
}: {
  categories: AsyncState<CategoryTree>;
  value: string;
  onChange: (code: string) => void;
  isMissing: boolean;
}) {
  const { t } = useI18n();
  const errorId = useId();
  return (
    <>
      {categories.status === 'ready' && categories.data.town && (
        <p className="field-hint" data-testid="category-town">
          {t('categories.town', { town: categories.data.town.name })}
        </p>
      )}
      {categories.status === 'ready' ? (
        <CategoryPicker
          tree={categories.data as CategoryTreeWithPopular}
          value={value}
          onChange={onChange}
          isInvalid={isMissing}
          errorId={errorId}
        />
      ) : (
        <div className="field">
          <p className="field-label">{t('form.category')}</p>
          {categories.status === 'error' ? (
            <p className="field-error" role="alert">
              {t('form.category.loadFailed')}
            </p>
          ) : (
            <p className="page-loading">{t('common.loading')}</p>
          )}
        </div>
      )}
      {isMissing && (
        <p id={errorId} className="field-error field-error--after">
          {t('form.missing.category')}
        </p>
      )}
    </>
  );
}
