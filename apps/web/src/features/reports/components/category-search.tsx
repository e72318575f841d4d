import type { KeyboardEvent } from 'react';
import { Field } from '../../../components/form-field';
import { useI18n } from '../../../i18n';

/** The picker's search box; Enter picks the best match instead of sending the form half filled. */
export function CategorySearch({
  id,
  value,
  onValue,
  onPickFirst,
  describedBy,
  isInvalid,
}: {
  id: string;
  value: string;
  onValue: (value: string) => void;
  onPickFirst: () => void;
  describedBy: string;
  isInvalid: boolean;
}) {
  const { t } = useI18n();
  const handleKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onPickFirst();
  };
  return (
    <Field
      fieldClassName="category-search"
      labelClassName="visually-hidden"
      label={t('form.category.search')}
      id={id}
      describedBy={describedBy}
    >
      {(control) => (
        <>
          <svg className="category-search-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="10.5" cy="10.5" r="6" fill="none" stroke="currentColor" strokeWidth="2.2" />
            <path d="M15 15l5 5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
          </svg>
          <input
            {...control}
            type="search"
            className="input category-search-input"
            placeholder={t('form.category.searchPlaceholder')}
            autoComplete="off"
            enterKeyHint="search"
            value={value}
            onChange={(event) => onValue(event.target.value)}
            onKeyDown={handleKey}
            aria-invalid={isInvalid || undefined}
          />
        </>
      )}
    </Field>
  );
}
