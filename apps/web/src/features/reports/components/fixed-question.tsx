import { useId, useState } from 'react';
import { TextareaField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { RatingField } from './rating-field';

// The API caps the "not fixed" explanation shorter than a description.
const FIXED_COMMENT_MAX = 2000;

/** "Is it fixed?" once the city says so: a rating, then yes, or no with an explanation. */
export function FixedQuestion({
  isBusy,
  onAnswer,
}: {
  isBusy: boolean;
  onAnswer: (fixed: boolean, explanation: string, rating: number | null) => void;
}) {
  const { t } = useI18n();
  const ids = { title: useId(), explain: useId() };
  const [isExplaining, setIsExplaining] = useState(false);
  const [explanation, setExplanation] = useState('');
  const [rating, setRating] = useState<number | null>(null);

  return (
    <div className="fixed-question" role="group" aria-labelledby={ids.title}>
      <p id={ids.title} className="fixed-question-title">
        {t('fixed.question')}
      </p>
      <RatingField value={rating} onChange={setRating} />
      {isExplaining ? (
        <TextareaField
          id={ids.explain}
          fieldClassName="fixed-explain"
          labelClassName="field-sublabel"
          label={t('fixed.explain')}
          rows={3}
          maxLength={FIXED_COMMENT_MAX}
          value={explanation}
          onValue={setExplanation}
          after={
            <div className="button-row">
              <button
                type="button"
                className="button button--primary"
                disabled={isBusy}
                onClick={() => onAnswer(false, explanation, rating)}
              >
                {t('fixed.reopen')}
              </button>
              <button type="button" className="button button--quiet" onClick={() => setIsExplaining(false)}>
                {t('common.cancel')}
              </button>
            </div>
          }
        />
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            disabled={isBusy}
            onClick={() => onAnswer(true, '', rating)}
          >
            {t('fixed.yes')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setIsExplaining(true)}>
            {t('fixed.no')}
          </button>
        </div>
      )}
    </div>
  );
}
