import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { StatusBadge } from '../../reports/components/status-badge';
import { readMyReports } from '../../reports/lib/my-reports';
import { claimReports, fetchClaimable, fetchMyReports, type MyReport } from '../api/account-api';
import { AccountSection } from './account-section';

/**
 * "Mes signalements": what the citizen filed or follows, with the public status. Reports filed from
 * this browser before signing in are offered first, to be added to the account in one tap.
 */
export function MyReportsSection() {
  const { t, label, formatDate } = useI18n();
  const [reports, setReports] = useState<MyReport[] | null>(null);
  const [hasFailed, setFailed] = useState(false);
  const [claimable, setClaimable] = useState(0);
  const [claimed, setClaimed] = useState<number | null>(null);
  const [isClaiming, setClaiming] = useState(false);

  const load = useCallback((signal?: AbortSignal) => {
    fetchMyReports(signal).then(
      ({ reports }) => {
        setReports(reports);
        setFailed(false);
      },
      () => !signal?.aborted && setFailed(true),
    );
    fetchClaimable(signal).then(
      ({ claimable }) => setClaimable(claimable),
      () => setClaimable(0),
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  async function claim() {
    setClaiming(true);
    try {
      const result = await claimReports();
      setClaimed(result.claimed);
      setClaimable(0);
      load();
    } catch {
      setFailed(true);
    } finally {
      setClaiming(false);
    }
  }

  // The private links kept on this phone open the report with the reporter's actions ("is it fixed?").
  const trackingUrls = new Map(readMyReports().map((r) => [r.ref, r.trackingUrl]));

  return (
    <AccountSection id="my-reports-title" title={t('account.reports.title')}>
      {claimable > 0 && (
        <div className="account-claim" data-testid="claim-prompt">
          <p>{t('account.claim.text', { n: claimable })}</p>
          <button type="button" className="button button--primary" onClick={claim} disabled={isClaiming}>
            {t('account.claim.submit')}
          </button>
        </div>
      )}
      {claimed !== null && (
        <p className="account-done" role="status">
          {t('account.claim.done', { n: claimed })}
        </p>
      )}
      {hasFailed && (
        <p className="form-error" role="alert">
          {t('account.reports.failed')}
        </p>
      )}
      {reports === null && !hasFailed && <p role="status">{t('common.loading')}</p>}
      {reports?.length === 0 && (
        <div className="account-empty">
          <p>{t('account.reports.empty')}</p>
          <Link href="/signaler" className="button button--secondary">
            {t('map.cta')}
          </Link>
        </div>
      )}
      {reports && reports.length > 0 && (
        <ul className="my-reports" data-testid="my-reports">
          {reports.map((report) => (
            <li key={report.id} className="my-report">
              <Link
                href={trackingUrls.get(report.ref) ?? `/r/${encodeURIComponent(report.ref)}`}
                className="my-report-link"
              >
                <span className="my-report-category">{label(report.category.label)}</span>
                <span className="my-report-meta">
                  {report.ref} · {formatDate(report.createdAt, 'short')} ·{' '}
                  {t(report.relation === 'filed' ? 'account.reports.filed' : 'account.reports.followed')}
                </span>
              </Link>
              <StatusBadge status={report.status} label={report.statusLabel} />
            </li>
          ))}
        </ul>
      )}
    </AccountSection>
  );
}
