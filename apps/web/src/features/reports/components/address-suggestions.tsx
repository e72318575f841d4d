import { PinGlyph, StreetGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import type { AddressSuggestion } from '../api/geocode-api';

/**
 * The address combobox's listbox: option `index` has the id `${id}-${index}`, for aria-activedescendant.
 * A numbered address and a whole street look different (a pin, a road) and say what they are in words.
 */
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
          className={`address-option address-option--${suggestion.kind}${index === active ? ' is-active' : ''}`}
          data-kind={suggestion.kind}
          // mousedown, not click: the input's blur would close the list before the click lands.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(suggestion);
          }}
        >
          {suggestion.kind === 'address' ? (
            <PinGlyph size={22} className="address-option-icon" />
          ) : (
            <StreetGlyph size={22} className="address-option-icon" />
          )}
          <span className="address-option-text">
            <span className="address-option-label">{suggestion.label}</span>
            <span className="address-option-kind">
              {t(suggestion.kind === 'address' ? 'form.address.kind.address' : 'form.address.kind.street')}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
