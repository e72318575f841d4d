import { useId } from 'react';
import { REPORT_LIMITS } from '@pave/shared';
import { TextareaField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';

/** The report's free text, with a counter of what is left before the API's limit. */
export function DescriptionField({ value, onValue }: { value: string; onValue: (value: string) => void }) {
  const { t } = useI18n();
  const counterId = useId();
  return (
    <TextareaField
      label={t('form.description')}
      name="description"
      rows={4}
      maxLength={REPORT_LIMITS.descriptionMaxLength}
      value={value}
      onValue={onValue}
      placeholder={t('form.description.hint')}
      aria-describedby={counterId}
      after={
        <p id={counterId} className="field-counter" data-testid="description-counter">
          {t('form.description.counter', { n: value.length, max: REPORT_LIMITS.descriptionMaxLength })}
        </p>
      }
    />
  );
}
