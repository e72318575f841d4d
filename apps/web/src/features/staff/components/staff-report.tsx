import { TRANSITIONS } from '@pave/shared/state-machine';
import type { PublicReport } from '@pave/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { StatusBadge } from '../../reports/components/status-badge';
import { fetchStaffReport, type QueueItem, type StaffUser } from '../api/staff-api';
import { StaffAssign } from './staff-assign';
import { PhotoBlurEditor } from './photo-blur-editor';
import { StaffNearby } from './staff-nearby';
import { StaffReportPlace } from './staff-report-place';
import { StaffRequalify } from './staff-requalify';
import { StaffTransitionForm } from './staff-transition-form';
import './staff-detail.css';

/** One report in the queue: what it is, and the moves the state machine allows from where it is. */
export function StaffReport({
  id,
  item,
  user,
  canAct,
  onChanged,
  onClose,
}: {
  id: string;
  item: QueueItem;
  user: StaffUser;
  canAct: boolean;
  /** After a change: what the queue's line can take at once (its new state, say) before it refreshes. */
  onChanged: (changes?: Partial<QueueItem>) => void;
  onClose: () => void;
}) {
  const { t, label } = useI18n();
  const [report, setReport] = useState<PublicReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchStaffReport(id).then(setReport, () => setError(t('staff.report.failed')));
  }, [id, t]);

  if (!report)
    return error ? <p className="form-error">{error}</p> : <p className="page-loading">{t('common.loading')}</p>;

  // After a merge or a requalification: the detail shows the new state, the queue refreshes.
  function reload() {
    fetchStaffReport(id).then(setReport, () => setError(t('staff.report.failed')));
    onChanged();
  }

  const thumbs = report.photos.filter((p) => p.urls);
  return (
    <div className="staff-report">
      <p>
        <StatusBadge status={report.status} label={report.statusLabel} /> {label(report.category.label)} —{' '}
        {report.area ?? ''}
      </p>
      <StaffReportPlace report={report} />
      <p className="staff-team" data-testid="staff-team">
        {t('staff.report.team')} : {item.team ?? t('staff.report.routing')}
      </p>
      {report.description && <p className="staff-description">{report.description}</p>}
      {thumbs.length > 0 && (
        <div className="staff-photos">
          {thumbs.map((p) => (
            <a key={p.id} href={p.urls!.large}>
              <img src={p.urls!.thumb} alt={t('staff.report.photo')} width={120} />
            </a>
          ))}
        </div>
      )}
      <p>
        <a href={`/r/${report.ref}`}>{t('staff.report.public')}</a>
      </p>
      {canAct && (
        <StaffAssign
          key={item.assignee?.id ?? 0}
          reportId={id}
          assignee={item.assignee}
          me={user}
          onChanged={(assignee) => onChanged({ assignee })}
        />
      )}
      {canAct && TRANSITIONS[report.status].length > 0 && (
        <StaffTransitionForm
          id={id}
          report={report}
          onDone={(fresh) => {
            setReport(fresh);
            onChanged({ status: fresh.status });
          }}
        />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {canAct && <StaffNearby report={report} canAct={canAct} onMerged={reload} />}
      {canAct && <StaffRequalify report={report} onChanged={reload} />}
      {canAct && user.role !== 'council' && <PhotoBlurEditor photos={report.photos} />}
      <button type="button" className="button button--quiet staff-close" onClick={onClose}>
        {t('staff.map.close')}
      </button>
    </div>
  );
}
