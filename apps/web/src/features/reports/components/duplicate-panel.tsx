import { useId, useState } from 'react';
import { useI18n } from '../../../i18n';
import { supportReport, type NearbyReport, type SupportResult } from '../api/reports-api';
import { countPeople, formatAge, roundDistance } from '../lib/format';
import { describeSubmitError } from '../report-errors';
import { StatusBadge } from './status-badge';

interface DuplicatePanelProps {
  reports: NearbyReport[];
  email: string;
  onSupported: (report: NearbyReport, result: SupportResult) => void;
  onDismiss: () => void;
}

/**
 * "This may already have been reported": the same category a few metres away. A "+1" helps
 * the city more than a second report, and the resident follows the existing one instead.
 */
export function DuplicatePanel({ reports, email, onSupported, onDismiss }: DuplicatePanelProps) {
  const { t, label, locale } = useI18n();
  const titleId = useId();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const support = async (report: NearbyReport) => {
    setBusyId(report.id);
    setError(null);
    try {
      onSupported(report, await supportReport(report.id, email, locale));
    } catch (failure) {
      setError(describeSubmitError(failure, t));
      setBusyId(null);
    }
  };

  return (
    <section className="duplicates" aria-labelledby={titleId} data-testid="duplicates">
      <h2 id={titleId} className="duplicates-title">
        {t('duplicates.title')}
      </h2>
      <p className="duplicates-intro">{t('duplicates.intro')}</p>
      <ul className="duplicates-list">
        {reports.map((report) => {
          const itemId = `${titleId}-${report.id}`;
          return (
            <li key={report.id} className="duplicate">
              <div className="duplicate-summary">
                {report.thumbUrl ? (
                  <img className="duplicate-thumb" src={report.thumbUrl} alt="" loading="lazy" />
                ) : (
                  <span className="duplicate-thumb duplicate-thumb--none" aria-hidden="true" />
                )}
                <div className="duplicate-text" id={itemId}>
                  <p className="duplicate-category">{label(report.category.label)}</p>
                  <p className="duplicate-meta">
                    {t('duplicates.distance', { m: roundDistance(report.distanceMeters) })} ·{' '}
                    {formatAge(report.createdAt, locale, t('time.justNow'))}
                  </p>
                  <p className="duplicate-meta">
                    {t(countPeople(report.supportCount) === 1 ? 'support.count.one' : 'support.count.many', {
                      n: countPeople(report.supportCount),
                    })}
                  </p>
                  <StatusBadge status={report.status} label={report.statusLabel} />
                </div>
              </div>
              <button
                type="button"
                className="button button--primary button--block"
                aria-describedby={itemId}
                disabled={busyId !== null}
                onClick={() => void support(report)}
              >
                {busyId === report.id ? t('duplicates.supporting') : t('duplicates.support')}
              </button>
            </li>
          );
        })}
      </ul>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button button--secondary button--block" onClick={onDismiss}>
        {t('duplicates.dismiss')}
      </button>
    </section>
  );
}
