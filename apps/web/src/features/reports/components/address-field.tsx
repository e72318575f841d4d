import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Field } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { ApiError, isAbortError } from '../../../lib/api-client';
import type { LonLat } from '../../map/leaflet/base-map';
import { searchAddresses, type AddressSuggestion } from '../api/geocode-api';
import { pointKey, type AddressLookup } from '../hooks/use-address-at';
import { AddressSuggestions } from './address-suggestions';

// Fewer letters match half the city; the debounce spares the geocoder one request per keystroke.
const MIN_QUERY = 3;
const DEBOUNCE_MS = 300;

interface AddressFieldProps {
  onPick: (suggestion: AddressSuggestion) => void;
  /** The map's centre, when there is a map: equal matches near it come first. */
  near?: LonLat | null;
  /** The address found at the pin (a tap, a drag, a located phone): it fills the text. */
  found?: AddressLookup;
  /** A map beside the field: when the search is down, the resident is sent to it. */
  hasMap?: boolean;
  /** The text when the field appears again (a place picked before, say). */
  defaultText?: string;
  describedBy?: string;
  isInvalid: boolean;
}

function isGeocoderDown(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === 'GEOCODER_UNAVAILABLE' || error.status >= 500 || error.code === 'NETWORK')
  );
}

/**
 * The address, as an equal alternative to the map (a screen reader cannot place a pin): an ARIA
 * 1.2 combobox with suggestions from the city's address index as one types, numbered addresses
 * and whole streets told apart, filled back from the pin. When the search is away it says so
 * once, quietly, and the pin alone is enough.
 */
export function AddressField({
  onPick,
  near,
  found,
  hasMap = false,
  defaultText = '',
  describedBy,
  isInvalid,
}: AddressFieldProps) {
  const { t } = useI18n();
  const ids = { list: useId(), note: useId() };
  const [text, setText] = useState(defaultText);
  const [suggestions, setSuggestions] = useState<AddressSuggestion[]>([]);
  const [isOpen, setIsOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [isUnavailable, setIsUnavailable] = useState(false);
  const [isSearching, setIsSearching] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  // The point of the suggestion last picked: its own lookup must not overwrite the picked words.
  const pickedKey = useRef<string | null>(null);
  const typed = useRef(false);
  // Read when a search leaves, not a reason to search again: the map moving is not typing.
  const nearRef = useRef(near);
  nearRef.current = near;

  useEffect(() => {
    const query = text.trim();
    if (!typed.current || query.length < MIN_QUERY) {
      setSuggestions([]);
      setIsSearching(false);
      return;
    }
    const controller = new AbortController();
    setIsSearching(true);
    const timer = setTimeout(() => {
      searchAddresses(query, nearRef.current ?? null, controller.signal).then(
        (results) => {
          setIsUnavailable(false);
          setSuggestions(results);
          setActive(-1);
          setIsOpen(true);
          setIsSearching(false);
        },
        (error: unknown) => {
          if (isAbortError(error)) return;
          setIsSearching(false);
          setSuggestions([]);
          if (isGeocoderDown(error)) setIsUnavailable(true);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  useEffect(() => {
    if (!found || (found.status !== 'found' && found.status !== 'unknown')) return;
    if (found.key === pickedKey.current) return;
    // Never overwrite what the resident is typing.
    if (document.activeElement === inputRef.current && typed.current) return;
    typed.current = false;
    // An area's name is no address: the field empties, and the line under the map says where.
    const isAddress = found.status === 'found' && found.address.kind !== 'area';
    setText(isAddress ? found.address.label : '');
  }, [found]);

  const pick = (suggestion: AddressSuggestion) => {
    pickedKey.current = pointKey([suggestion.lon, suggestion.lat]);
    typed.current = false;
    setText(suggestion.label);
    setIsOpen(false);
    setSuggestions([]);
    onPick(suggestion);
  };

  const handleKey = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = suggestions.length;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setIsOpen(true);
      setActive((index) => (index + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setIsOpen(true);
      setActive((index) => (index <= 0 ? count - 1 : index - 1));
    } else if (event.key === 'Enter') {
      // Enter in the address never sends the form: it takes the highlighted (or first) suggestion.
      event.preventDefault();
      const chosen = suggestions[active] ?? suggestions[0];
      if (isOpen && chosen) pick(chosen);
    } else if (event.key === 'Escape' && isOpen) {
      event.preventDefault();
      setIsOpen(false);
    }
  };

  const isExpanded = isOpen && suggestions.length > 0;

  return (
    <Field
      fieldClassName="address-field"
      labelClassName="field-sublabel"
      label={t('form.address')}
      hint={t('form.address.hint')}
      describedBy={[isUnavailable ? ids.note : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined}
      after={
        <>
          <p className="field-status" role="status">
            {isSearching ? t('form.address.searching') : ''}
            {isOpen &&
            !isSearching &&
            typed.current &&
            text.trim().length >= MIN_QUERY &&
            suggestions.length === 0 &&
            !isUnavailable
              ? t('form.address.none')
              : ''}
          </p>
          {isUnavailable && (
            <p id={ids.note} className="field-note" role="status" data-testid="geocoder-note">
              {t(hasMap ? 'form.address.unavailable' : 'form.address.unavailable.noMap')}
            </p>
          )}
        </>
      }
    >
      {(control) => (
        <div className="combobox">
          <input
            {...control}
            ref={inputRef}
            type="text"
            className="input"
            role="combobox"
            autoComplete="street-address"
            enterKeyHint="search"
            aria-autocomplete="list"
            aria-expanded={isExpanded}
            aria-controls={ids.list}
            aria-activedescendant={isExpanded && active >= 0 ? `${ids.list}-${active}` : undefined}
            aria-invalid={isInvalid || undefined}
            value={text}
            onChange={(event) => {
              typed.current = true;
              setText(event.target.value);
            }}
            onKeyDown={handleKey}
            onBlur={() => setIsOpen(false)}
            onFocus={() => suggestions.length > 0 && setIsOpen(true)}
            data-testid="address-input"
          />
          <AddressSuggestions
            id={ids.list}
            suggestions={suggestions}
            active={active}
            isHidden={!isExpanded}
            onPick={pick}
          />
        </div>
      )}
    </Field>
  );
}
