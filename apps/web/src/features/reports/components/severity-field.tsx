import { useId } from 'react';
import { Segmented } from '../../../components/segmented';
import { useI18n } from '../../../i18n';
import { SEVERITIES, type Severity } from '../api/reports-api';

/** "How bad is it?", in three words a resident would use; "dangerous" is what gets a crew out first. */
export function SeverityField({ value, onChange }: { value: Severity; onChange: (value: Severity) => void }) {
  const { t } = useI18n();
  const legendId = useId();
  return (
    <fieldset className="field" aria-labelledby={legendId}>
      <legend id={legendId} className="field-label">
        {t('form.severity')}
      </legend>
      <Segmented
        choices={SEVERITIES}
        value={value}
        onChange={onChange}
        label={(severity) => t(`form.severity.${severity}`)}
        segmentClassName={(severity) => `segment--${severity}`}
      />
    </fieldset>
  );
}
