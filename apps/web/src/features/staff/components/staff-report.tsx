import { TRANSITIONS } from '@pave/shared/state-machine';
import type { PublicReport } from '@pave/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { StatusBadge } from '../../reports/components/status-badge';
import { fetchStaffReport, type QueueItem, type StaffUser } from '../api/staff-api';
import { StaffAssign } from './staff-assign';
import { StaffHistory } from './staff-history';
import { PhotoBlurEditor } from './photo-blur-editor';
import { StaffNearby } from './staff-nearby';
import { StaffReportPlace } from './staff-report-place';
import { StaffRequalify } from './staff-requalify';
import { StaffTransitionForm } from './staff-transition-form';
import { ModerationPanel } from '../../moderation/components/moderation-panel';
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
      {/* The usual moves first: what a crew opens a report for, before the way there and the rest. */}
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
      <StaffReportPlace report={report} />
      <p className="staff-team" data-testid="staff-team">
        {t('staff.report.team')} : {item.team ?? t('staff.report.routing')}
      </p>
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <StaffHistory reportId={id} version={`${report.updatedAt}|${item.assignee?.id ?? ''}`} />
      {canAct && <StaffNearby report={report} canAct={canAct} onMerged={reload} />}
      {canAct && <StaffRequalify report={report} onChanged={reload} />}
      <ModerationPanel report={report} role={user.role} onChanged={reload} />
      {canAct && user.role !== 'council' && <PhotoBlurEditor photos={report.photos} />}
      <button type="button" className="button button--quiet staff-close" onClick={onClose}>
        {t('staff.map.close')}
      </button>
    </div>
  );
}
