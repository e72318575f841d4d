import { useId } from 'react';
import type { CategorySuggestion } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { CategoryChoice } from './category-choice';

/**
 * The categories the place and the words point to, as large choices, and "Another category" to open
 * the full picker. Nothing is shown but the button when there is nothing to suggest yet.
 */
export function CategorySuggestions({
  suggestions,
  status,
  value,
  onChange,
  isPickerOpen,
  onTogglePicker,
}: {
  suggestions: CategorySuggestion[];
  /** Said on the element (`data-state`) so tests can wait for the answer. */
  status: 'idle' | 'loading' | 'ready';
  value: string;
  onChange: (code: string) => void;
  isPickerOpen: boolean;
  onTogglePicker: () => void;
}) {
  const { t, label } = useI18n();
  const name = useId();
  const hintId = useId();
  return (
    <div className="suggestions" data-testid="category-suggestions" data-state={status}>
      {suggestions.length > 0 && (
        <fieldset className="suggestions-set" aria-describedby={hintId}>
          <legend className="visually-hidden">{t('steps.suggested')}</legend>
          <p id={hintId} className="field-hint">
            {t('steps.suggested.hint')}
          </p>
          <ul className="choice-list suggestions-list">
            {suggestions.map((suggestion) => (
              <CategoryChoice
                key={suggestion.code}
                name={name}
                code={suggestion.code}
                label={label(suggestion.label)}
                hint={label(suggestion.group.label)}
                isChecked={value === suggestion.code}
                onChoose={onChange}
              />
            ))}
          </ul>
        </fieldset>
      )}
      {suggestions.length > 0 && (
        <button
          type="button"
          className="button button--quiet suggestions-other"
          aria-expanded={isPickerOpen}
          onClick={onTogglePicker}
        >
          {t('steps.otherCategory')}
        </button>
      )}
    </div>
  );
}
