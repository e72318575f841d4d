import { useId } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import './rating-field.css';

const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * "How satisfied are you?" as five stars: a native radio group (arrow keys move, each star is named
 * "n out of 5: …" for screen readers), optional, with a way back to no rating.
 */
export function RatingField({ value, onChange }: { value: number | null; onChange: (value: number | null) => void }) {
  const { t } = useI18n();
  const name = useId();
  const legendId = useId();
  return (
    <fieldset className="rating-field" aria-labelledby={legendId} data-testid="rating-field">
      <legend id={legendId} className="field-sublabel">
        {t('fixed.rating')}
      </legend>
      <div className="rating-stars">
        {SCORES.map((score) => (
          <label key={score} className={`rating-star${value !== null && score <= value ? ' is-on' : ''}`}>
            <input
              type="radio"
              name={name}
              value={score}
              checked={value === score}
              onChange={() => onChange(score)}
              className="visually-hidden"
            />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">{t(`fixed.rating.${score}` as MessageKey)}</span>
          </label>
        ))}
      </div>
      {value !== null && (
        <p className="rating-chosen">
          <span>{t('fixed.rating.chosen', { n: value })}</span>
          <button type="button" className="button button--quiet rating-clear" onClick={() => onChange(null)}>
            {t('fixed.rating.clear')}
          </button>
        </p>
      )}
    </fieldset>
  );
}
