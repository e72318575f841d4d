import { useId } from 'react';
import { useI18n } from '../../../i18n';
import { SEVERITIES, type Severity } from '../api/reports-api';

/** "How bad is it?", in three words a resident would use; "dangerous" is what gets a crew out first. */
export function SeverityField({ value, onChange }: { value: Severity; onChange: (value: Severity) => void }) {
  const { t } = useI18n();
  const name = useId();
  const legendId = useId();
  return (
    <fieldset className="field" aria-labelledby={legendId}>
      <legend id={legendId} className="field-label">
        {t('form.severity')}
      </legend>
      <div className="segmented">
        {SEVERITIES.map((severity) => (
          <label key={severity} className={`segment segment--${severity}${value === severity ? ' is-checked' : ''}`}>
            <input
              type="radio"
              name={name}
              value={severity}
              checked={value === severity}
              onChange={() => onChange(severity)}
            />
            <span>{t(`form.severity.${severity}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
