import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { fetchFailedJobs, retryFailedJob, type FailedJob } from '../api/jobs-api';

const JOB_LABELS: Record<string, MessageKey> = {
  'report.route': 'staff.jobs.name.route',
  'photo.process': 'staff.jobs.name.photo',
  'report.notify': 'staff.jobs.name.notify',
  'report.late': 'staff.jobs.name.late',
};

/**
 * Background jobs that failed for good (supervisors and admins): which report, why, and a
 * "Relancer" button once the cause is fixed. Nothing is lost silently: a job stays here until retried.
 */
export function FailedJobs() {
  const { t, formatDate } = useI18n();
  const [jobs, setJobs] = useState<FailedJob[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState(false);
  const [version, setVersion] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ id: string; ok: boolean } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchFailedJobs(controller.signal).then(
      (answer) => {
        setJobs(answer.jobs);
        setTotal(answer.total);
        setError(false);
      },
      (caught: unknown) => {
        if (!isAbortError(caught)) setError(true);
      },
    );
    return () => controller.abort();
  }, [version]);

  const retry = async (job: FailedJob) => {
    setBusyId(job.id);
    try {
      await retryFailedJob(job.id);
      setOutcome({ id: job.id, ok: true });
    } catch {
      setOutcome({ id: job.id, ok: false });
    } finally {
      setBusyId(null);
      setVersion((v) => v + 1);
    }
  };

  return (
    <section className="failed-jobs" aria-labelledby="failed-jobs-title">
      <h2 id="failed-jobs-title">{t('staff.jobs.title')}</h2>
      <p>{t('staff.jobs.intro')}</p>
      {outcome && (
        <p className={outcome.ok ? 'staff-bulk-outcome' : 'form-error'} role={outcome.ok ? 'status' : 'alert'}>
          {t(outcome.ok ? 'staff.jobs.retried' : 'staff.jobs.retryFailed')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {t('staff.jobs.loadFailed')}
        </p>
      )}
      {!error && jobs === null && <p>{t('common.loading')}</p>}
      {jobs?.length === 0 && <p>{t('staff.jobs.empty')}</p>}
      {jobs && jobs.length > 0 && (
        <>
          <p className="staff-count">{t('staff.jobs.count', { count: total })}</p>
          <ul className="staff-list">
            {jobs.map((job) => (
              <li key={job.id} className="staff-item">
                <p>
                  <strong>{JOB_LABELS[job.name] ? t(JOB_LABELS[job.name]!) : job.name}</strong>
                  {job.ref && <> — {job.ref}</>}
                </p>
                <p>
                  {t('staff.jobs.reason')} <code>{job.failedReason || '—'}</code>
                </p>
                <p>
                  {t('staff.jobs.attempts', { count: job.attemptsMade })}
                  {job.finishedOn && <> · {formatDate(job.finishedOn)}</>}
                </p>
                <button
                  type="button"
                  className="button button--primary"
                  disabled={busyId !== null}
                  aria-label={t('staff.jobs.retryLabel', { job: job.ref ?? job.id })}
                  onClick={() => void retry(job)}
                >
                  {busyId === job.id ? t('common.loading') : t('staff.jobs.retry')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
