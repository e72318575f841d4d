import { REJECTION_REASONS, TRANSITIONS } from '@pave/shared/state-machine';
import { findMessageTemplates, type PublicReport, type ReportStatus } from '@pave/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { StatusBadge } from '../../reports/components/status-badge';
import {
  fetchStaffReport,
  findReportIdByRef,
  transition,
  uploadAfterPhoto,
  type QueueItem,
  type StaffUser,
  type TransitionBody,
} from '../api/staff-api';
import { StaffAssign } from './staff-assign';
import { StaffNearby } from './staff-nearby';
import { StaffRequalify } from './staff-requalify';
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
  const [to, setTo] = useState<ReportStatus | ''>('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [detail, setDetail] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  useEffect(() => {
    fetchStaffReport(id).then(setReport, () => setError(t('staff.report.failed')));
  }, [id, t]);

  if (!report)
    return error ? <p className="form-error">{error}</p> : <p className="page-loading">{t('common.loading')}</p>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!to || !report) return;
    setSending(true);
    setError(null);
    try {
      const body: TransitionBody = { to, message: message || undefined, note: note || undefined };
      if (to === 'rejected') body.reason = reason;
      if (to === 'transferred') body.transferredTo = detail;
      if (to === 'scheduled') body.scheduledFor = detail ? new Date(detail).toISOString() : '';
      if (to === 'duplicate') body.duplicateOf = await findReportIdByRef(detail);
      // The after photo first: the resolution mail then carries it.
      if (to === 'resolved' && photo) await uploadAfterPhoto(report.id, photo);
      await transition(report.id, body);
      const fresh = await fetchStaffReport(report.id);
      setReport(fresh);
      setTo('');
      setMessage('');
      setNote('');
      setPhoto(null);
      onChanged({ status: fresh.status });
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? `${t('staff.action.failed')} (${caught.message || caught.code})`
          : t('staff.action.failed'),
      );
    } finally {
      setSending(false);
    }
  }

  // After a merge or a requalification: the detail shows the new state, the queue refreshes.
  function reload() {
    fetchStaffReport(id).then(setReport, () => setError(t('staff.report.failed')));
    onChanged();
  }

  const templates = to ? findMessageTemplates(to) : [];
  const thumbs = report.photos.filter((p) => p.urls);
  return (
    <div className="staff-report">
      <p>
        <StatusBadge status={report.status} label={report.statusLabel} /> {label(report.category.label)} —{' '}
        {report.area ?? ''}
      </p>
      <p className="staff-team" data-testid="staff-team">
        {t('staff.report.team')} : {item.team ?? t('staff.report.routing')}
      </p>
      {item.address && <p className="staff-address">{item.address}</p>}
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
        <form className="staff-actions" onSubmit={submit}>
          <label className="field-label" htmlFor={`to-${id}`}>
            {t('staff.action.to')}
          </label>
          <select
            id={`to-${id}`}
            className="input"
            value={to}
            onChange={(e) => setTo(e.target.value as ReportStatus)}
            required
          >
            <option value="">—</option>
            {TRANSITIONS[report.status].map((status) => (
              <option key={status} value={status}>
                {t(`staff.to.${status}`)}
              </option>
            ))}
          </select>
          {to === 'rejected' && (
            <>
              <label className="field-label" htmlFor={`reason-${id}`}>
                {t('staff.action.reason')}
              </label>
              <select
                id={`reason-${id}`}
                className="input"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
              >
                <option value="">—</option>
                {Object.entries(REJECTION_REASONS).map(([code, text]) => (
                  <option key={code} value={code}>
                    {label(text)}
                  </option>
                ))}
              </select>
            </>
          )}
          {(to === 'scheduled' || to === 'transferred' || to === 'duplicate') && (
            <>
              <label className="field-label" htmlFor={`detail-${id}`}>
                {t(`staff.action.detail.${to}`)}
              </label>
              <input
                id={`detail-${id}`}
                className="input"
                type={to === 'scheduled' ? 'datetime-local' : 'text'}
                value={detail}
                onChange={(e) => setDetail(e.target.value)}
                required
              />
            </>
          )}
          {to === 'resolved' && (
            <>
              <label className="field-label" htmlFor={`photo-${id}`}>
                {t('staff.action.afterPhoto')}
              </label>
              <input
                id={`photo-${id}`}
                className="input"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
              />
            </>
          )}
          {templates.length > 0 && (
            <>
              <label className="field-label" htmlFor={`template-${id}`}>
                {t('staff.action.template')}
              </label>
              <select
                id={`template-${id}`}
                className="input"
                value=""
                onChange={(e) => {
                  const chosen = templates.find((tpl) => tpl.code === e.target.value);
                  if (chosen) setMessage(label(chosen.text));
                }}
                data-testid="message-template"
              >
                <option value="">{t('staff.action.template.choose')}</option>
                {templates.map((tpl) => (
                  <option key={tpl.code} value={tpl.code}>
                    {label(tpl.text)}
                  </option>
                ))}
              </select>
            </>
          )}
          <label className="field-label" htmlFor={`message-${id}`}>
            {t('staff.action.message')}
          </label>
          <textarea
            id={`message-${id}`}
            className="textarea"
            rows={2}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
          />
          <label className="field-label" htmlFor={`note-${id}`}>
            {t('staff.action.note')}
          </label>
          <textarea
            id={`note-${id}`}
            className="textarea"
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary button--block" disabled={isSending || !to}>
            {t('staff.action.submit')}
          </button>
        </form>
      )}
      {canAct && <StaffNearby report={report} canAct={canAct} onMerged={reload} />}
      {canAct && <StaffRequalify report={report} onChanged={reload} />}
      <button type="button" className="button button--quiet staff-close" onClick={onClose}>
        {t('staff.map.close')}
      </button>
    </div>
  );
}
