import { useI18n } from '../../../i18n';
import type { AddressSuggestion } from '../api/geocode-api';

/** The address combobox's listbox: option `index` has the id `${id}-${index}`, for aria-activedescendant. */
export function AddressSuggestions({
  id,
  suggestions,
  active,
  isHidden,
  onPick,
}: {
  id: string;
  suggestions: AddressSuggestion[];
  /** The highlighted option's index, -1 for none. */
  active: number;
  isHidden: boolean;
  onPick: (suggestion: AddressSuggestion) => void;
}) {
  const { t } = useI18n();
  return (
    <ul id={id} role="listbox" aria-label={t('form.address.suggestions')} className="combobox-list" hidden={isHidden}>
      {suggestions.map((suggestion, index) => (
        <li
          key={`${suggestion.label}-${index}`}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'is-active' : undefined}
          // mousedown, not click: the input's blur would close the list before the click lands.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(suggestion);
          }}
        >
          {suggestion.label}
        </li>
      ))}
    </ul>
  );
}
