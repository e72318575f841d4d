import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Field } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { reverseGeocode, searchAddresses, type AddressSuggestion } from '../api/geocode-api';
import { AddressSuggestions } from './address-suggestions';

// Fewer letters match half the city; the debounce spares the geocoder one request per keystroke.
const MIN_QUERY = 3;
const DEBOUNCE_MS = 300;

interface AddressFieldProps {
  /** The pin, wherever it came from; its address is looked up when the resident did not type one. */
  location: [number, number] | null;
  onPick: (suggestion: AddressSuggestion) => void;
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
 * The address, as an equal alternative to the map (a screen reader cannot place a pin):
 * an ARIA 1.2 combobox with suggestions from the server's geocoder, filled back from the pin.
 * When the geocoder is away it says so once, quietly, and the pin alone is enough.
 */
export function AddressField({ location, onPick, describedBy, isInvalid }: AddressFieldProps) {
  const { t } = useI18n();
  const ids = { list: useId(), note: useId() };
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<AddressSuggestion[]>([]);
  const [isOpen, setIsOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [isUnavailable, setIsUnavailable] = useState(false);
  const [isSearching, setIsSearching] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  // The point we last filled the text for, so that picking a suggestion does not overwrite it.
  const labelledPoint = useRef<string | null>(null);
  const typed = useRef(false);

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
      searchAddresses(query, controller.signal).then(
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

  const lon = location?.[0];
  const lat = location?.[1];
  useEffect(() => {
    if (lon === undefined || lat === undefined) return;
    const key = `${lon.toFixed(6)},${lat.toFixed(6)}`;
    if (labelledPoint.current === key) return;
    const controller = new AbortController();
    reverseGeocode([lon, lat], controller.signal).then(
      (found) => {
        labelledPoint.current = key;
        // Never overwrite what the resident is typing.
        if (document.activeElement === inputRef.current && typed.current) return;
        typed.current = false;
        setText(found ?? '');
        setIsUnavailable(false);
      },
      (error: unknown) => {
        if (!isAbortError(error) && isGeocoderDown(error)) setIsUnavailable(true);
      },
    );
    return () => controller.abort();
  }, [lon, lat]);

  const pick = (suggestion: AddressSuggestion) => {
    labelledPoint.current = `${suggestion.lon.toFixed(6)},${suggestion.lat.toFixed(6)}`;
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
              {t('form.address.unavailable')}
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
