import { TRANSITIONS } from '@pave/shared/state-machine';
import { PUBLIC_STATUS, type PublicReport, type ReportStatus } from '@pave/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SelectField, TextareaField, TextField } from '../../../components/form-field';
import { useI18n, type MessageKey } from '../../../i18n';
import { useCityVoice } from '../../moderation/hooks/use-city-voice';
import { StatusBadge } from '../../reports/components/status-badge';
import {
  fetchStaffReport,
  findReportIdByRef,
  transition,
  uploadAfterPhoto,
  type TransitionBody,
} from '../api/staff-api';
import { describeActionFailure } from '../staff-errors';
import { formatVisit, nextVisitInput } from '../../../lib/visit-date';

// The action form is a grid of label and control: each field's wrapper stays out of its layout.
const FLAT = { fieldClassName: 'field-flat', className: 'input' } as const;

/**
 * The moves a crew makes every day, in the order of a job: each is one button. Acknowledging and
 * starting go at once; planning asks for the date (the next working morning is filled in), resolving
 * for the optional "after" photo. The rest (reject, duplicate, transfer, reopen) is in "other action".
 */
const QUICK: readonly ReportStatus[] = ['acknowledged', 'in_progress', 'scheduled', 'resolved'];
const ONE_TAP: readonly ReportStatus[] = ['acknowledged', 'in_progress'];

/**
 * What a crew can do from the report's status: one-tap moves with the usual message, the full form
 * for the others (with a reason, a reference, a body, a custom message and an internal note). After
 * each move a polite notice, next to the buttons, says what changed, with the new status.
 */
export function StaffTransitionForm({
  id,
  report,
  onDone,
}: {
  id: string;
  report: PublicReport;
  /** After a move, with the report read back. */
  onDone: (fresh: PublicReport) => void;
}) {
  const { t, label, locale } = useI18n();
  const voice = useCityVoice();
  /** The public message a quick move sends unless the crew changes it: the status's first template. */
  const defaultMessage = (to: ReportStatus) => voice.templatesFor(to)[0]?.text;
  const [step, setStep] = useState<ReportStatus | null>(null);
  const [to, setTo] = useState<ReportStatus | ''>('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [detail, setDetail] = useState('');
  const [visit, setVisit] = useState(nextVisitInput);
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; fresh: PublicReport } | null>(null);
  const [isSending, setSending] = useState(false);
  const moreRef = useRef<HTMLDetailsElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  // The notice replaces the form the crew member just used: keep it on screen, where they look.
  useEffect(() => {
    if (notice) noticeRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [notice]);

  /** Sends one move (the after photo first: the resolution mail then carries it), then says what changed. */
  async function send(target: ReportStatus, body: Omit<TransitionBody, 'to'>, afterPhoto: File | null) {
    setSending(true);
    setError(null);
    setNotice(null);
    try {
      if (target === 'resolved' && afterPhoto) await uploadAfterPhoto(report.id, afterPhoto);
      await transition(report.id, { ...body, to: target });
      const fresh = await fetchStaffReport(report.id);
      const key = `staff.done.${target}` as MessageKey;
      const text = t(key, {
        ref: fresh.ref,
        date: body.scheduledFor ? formatVisit(body.scheduledFor, locale) : '',
      });
      setNotice({ text: target === 'resolved' && afterPhoto ? `${text} ${t('staff.done.photo')}` : text, fresh });
      setStep(null);
      setTo('');
      setMessage('');
      setNote('');
      setDetail('');
      setReason('');
      setPhoto(null);
      if (moreRef.current) moreRef.current.open = false;
      onDone(fresh);
    } catch (caught) {
      setError(describeActionFailure(caught, t));
    } finally {
      setSending(false);
    }
  }

  function quick(target: ReportStatus) {
    const text = defaultMessage(target);
    if (ONE_TAP.includes(target)) {
      void send(target, { message: text ? label(text) : undefined }, null);
      return;
    }
    setNotice(null);
    setError(null);
    setMessage(text ? label(text) : '');
    setStep(target);
  }

  function confirmStep(event: FormEvent) {
    event.preventDefault();
    if (!step) return;
    const body: Omit<TransitionBody, 'to'> = { message: message.trim() || undefined };
    if (step === 'scheduled') body.scheduledFor = visit ? new Date(visit).toISOString() : '';
    void send(step, body, step === 'resolved' ? photo : null);
  }

  async function submitOther(event: FormEvent) {
    event.preventDefault();
    if (!to) return;
    const body: Omit<TransitionBody, 'to'> = { message: message || undefined, note: note || undefined };
    if (to === 'rejected') body.reason = reason;
    if (to === 'transferred') body.transferredTo = detail;
    if (to === 'scheduled') body.scheduledFor = detail ? new Date(detail).toISOString() : '';
    if (to === 'duplicate') {
      try {
        body.duplicateOf = await findReportIdByRef(detail);
      } catch (caught) {
        setError(describeActionFailure(caught, t));
        return;
      }
    }
    await send(to, body, to === 'resolved' ? photo : null);
  }

  const allowed = TRANSITIONS[report.status];
  const quickMoves = QUICK.filter((status) => allowed.includes(status));
  const templates = to ? voice.templatesFor(to) : [];
  const stepTemplates = step ? voice.templatesFor(step) : [];
  return (
    <div className="staff-actions-area">
      <div ref={noticeRef} className="staff-notice" role="status" aria-live="polite">
        {notice && (
          <p>
            <StatusBadge status={notice.fresh.status} label={PUBLIC_STATUS[notice.fresh.status].label} /> {notice.text}
          </p>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {quickMoves.length > 0 && !step && (
        <div className="staff-quick" role="group" aria-label={t('staff.quick.label')}>
          {quickMoves.map((status) => (
            <button
              key={status}
              type="button"
              className={`button ${status === 'resolved' ? 'button--primary' : 'button--secondary'} staff-quick-button`}
              disabled={isSending}
              onClick={() => quick(status)}
            >
              {t(`staff.quick.${status}` as MessageKey)}
            </button>
          ))}
        </div>
      )}
      {step && (
        <form className="staff-step" onSubmit={confirmStep}>
          <h3 className="staff-step-title">{t(`staff.quick.${step}` as MessageKey)}</h3>
          {step === 'scheduled' && (
            <TextField
              {...FLAT}
              id={`visit-${id}`}
              label={t('staff.action.detail.scheduled')}
              type="datetime-local"
              value={visit}
              onValue={setVisit}
              required
            />
          )}
          {step === 'resolved' && <AfterPhotoField id={`quick-photo-${id}`} onPhoto={setPhoto} />}
          {stepTemplates.length > 1 && (
            <TemplateSelect id={`quick-template-${id}`} templates={stepTemplates} onText={setMessage} />
          )}
          <TextareaField
            fieldClassName={FLAT.fieldClassName}
            id={`quick-message-${id}`}
            label={t('staff.action.message')}
            rows={2}
            value={message}
            onValue={setMessage}
          />
          <div className="staff-step-buttons">
            <button type="button" className="button button--quiet" onClick={() => setStep(null)}>
              {t('staff.bulk.cancel')}
            </button>
            <button type="submit" className="button button--primary" disabled={isSending}>
              {t(`staff.confirm.${step}` as MessageKey)}
            </button>
          </div>
        </form>
      )}
      {!step && (
        <details className="staff-more-actions" ref={moreRef}>
          <summary>{t('staff.quick.other')}</summary>
          <form className="staff-actions" onSubmit={(e) => void submitOther(e)}>
            <SelectField
              {...FLAT}
              id={`to-${id}`}
              label={t('staff.action.to')}
              value={to}
              onValue={(value) => setTo(value as ReportStatus)}
              required
            >
              <option value="">—</option>
              {allowed.map((status) => (
                <option key={status} value={status}>
                  {t(`staff.to.${status}`)}
                </option>
              ))}
            </SelectField>
            {to === 'rejected' && (
              <SelectField
                {...FLAT}
                id={`reason-${id}`}
                label={t('staff.action.reason')}
                value={reason}
                onValue={setReason}
                required
              >
                <option value="">—</option>
                {voice.reasons.map((choice) => (
                  <option key={choice.code} value={choice.code}>
                    {label(choice.label)}
                  </option>
                ))}
              </SelectField>
            )}
            {(to === 'scheduled' || to === 'transferred' || to === 'duplicate') && (
              <TextField
                {...FLAT}
                id={`detail-${id}`}
                label={t(`staff.action.detail.${to}`)}
                type={to === 'scheduled' ? 'datetime-local' : 'text'}
                value={detail}
                onValue={setDetail}
                required
              />
            )}
            {to === 'resolved' && <AfterPhotoField id={`photo-${id}`} onPhoto={setPhoto} />}
            {templates.length > 0 && (
              <TemplateSelect
                id={`template-${id}`}
                templates={templates}
                onText={setMessage}
                data-testid="message-template"
              />
            )}
            <TextareaField
              fieldClassName={FLAT.fieldClassName}
              id={`message-${id}`}
              label={t('staff.action.message')}
              rows={2}
              value={message}
              onValue={setMessage}
            />
            <TextareaField
              fieldClassName={FLAT.fieldClassName}
              id={`note-${id}`}
              label={t('staff.action.note')}
              rows={2}
              value={note}
              onValue={setNote}
            />
            <button type="submit" className="button button--primary button--block" disabled={isSending || !to}>
              {t('staff.action.submit')}
            </button>
          </form>
        </details>
      )}
    </div>
  );
}

/** The optional "after" photo of a resolution, from the phone's back camera. */
function AfterPhotoField({ id, onPhoto }: { id: string; onPhoto: (photo: File | null) => void }) {
  const { t } = useI18n();
  return (
    <TextField
      {...FLAT}
      id={id}
      label={t('staff.action.afterPhoto')}
      type="file"
      accept="image/jpeg,image/png,image/webp"
      capture="environment"
      onChange={(e) => onPhoto(e.target.files?.[0] ?? null)}
    />
  );
}

/** A status's ready-made public messages: choosing one puts its text in the message box (`onText`). */
function TemplateSelect({
  id,
  templates,
  onText,
  'data-testid': testId,
}: {
  id: string;
  templates: ReturnType<ReturnType<typeof useCityVoice>['templatesFor']>;
  onText: (text: string) => void;
  'data-testid'?: string;
}) {
  const { t, label } = useI18n();
  return (
    <SelectField
      {...FLAT}
      id={id}
      label={t('staff.action.template')}
      value=""
      onValue={(code) => {
        const chosen = templates.find((tpl) => tpl.code === code);
        if (chosen) onText(label(chosen.text));
      }}
      data-testid={testId}
    >
      <option value="">{t('staff.action.template.choose')}</option>
      {templates.map((tpl) => (
        <option key={tpl.code} value={tpl.code}>
          {label(tpl.text)}
        </option>
      ))}
    </SelectField>
  );
}
