import { TRANSITIONS } from '@pave/shared/state-machine';
import type { PublicReport, ReportStatus } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { SelectField, TextareaField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { useCityVoice } from '../../moderation/hooks/use-city-voice';
import {
  fetchStaffReport,
  findReportIdByRef,
  transition,
  uploadAfterPhoto,
  type TransitionBody,
} from '../api/staff-api';
import { describeActionFailure } from '../staff-errors';

// The action form is a grid of label and control: each field's wrapper stays out of its layout.
const FLAT = { fieldClassName: 'field-flat', className: 'input' } as const;

/**
 * The moves the state machine allows from the report's status, with what each one needs (a reason,
 * a date, a reference, an after photo), a message to the resident and an internal note.
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
  const { t, label } = useI18n();
  const voice = useCityVoice();
  const [to, setTo] = useState<ReportStatus | ''>('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [detail, setDetail] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!to) return;
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
      setTo('');
      setMessage('');
      setNote('');
      setPhoto(null);
      onDone(fresh);
    } catch (caught) {
      setError(describeActionFailure(caught, t));
    } finally {
      setSending(false);
    }
  }

  const templates = to ? voice.templatesFor(to) : [];
  return (
    <form className="staff-actions" onSubmit={submit}>
      <SelectField
        {...FLAT}
        id={`to-${id}`}
        label={t('staff.action.to')}
        value={to}
        onValue={(value) => setTo(value as ReportStatus)}
        required
      >
        <option value="">—</option>
        {TRANSITIONS[report.status].map((status) => (
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
          {voice.reasons.map((reason) => (
            <option key={reason.code} value={reason.code}>
              {label(reason.label)}
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
      {to === 'resolved' && (
        <TextField
          {...FLAT}
          id={`photo-${id}`}
          label={t('staff.action.afterPhoto')}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
      )}
      {templates.length > 0 && (
        <SelectField
          {...FLAT}
          id={`template-${id}`}
          label={t('staff.action.template')}
          value=""
          onValue={(code) => {
            const chosen = templates.find((tpl) => tpl.code === code);
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
        </SelectField>
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary button--block" disabled={isSending || !to}>
        {t('staff.action.submit')}
      </button>
    </form>
  );
}
