import type { MessageKey } from '../../../i18n/fr';
import { useI18n } from '../../../i18n';
import { describeError } from '../admin-errors';

/** An API refusal, said plainly: what is wrong in words, then the API's detail (the point, the limit). */
export function AdminError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const { title, detail } = describeError(error, t);
  return (
    <div className="form-error admin-error" role="alert">
      <strong>{title}</strong>
      {detail && <span className="admin-error__detail">{detail}</span>}
    </div>
  );
}

/**
 * A refusal said beside the control that caused it (a table row's button, a form's field), announced
 * as an alert: the control keeps the focus, and reads it through `aria-describedby` (see `invalidProps`).
 */
export function AdminFieldError({
  id,
  error,
  keyOf,
}: {
  id: string;
  error: unknown;
  keyOf?: (code: string) => MessageKey;
}) {
  const { t } = useI18n();
  if (!error) return null;
  const { title, detail } = describeError(error, t, keyOf);
  return (
    <p id={id} className="field-error admin-field-error" role="alert">
      {title}
      {detail && <span className="admin-error__detail">{detail}</span>}
    </p>
  );
}

/** The attributes that tie a control to the refusal said beside it (`AdminFieldError` with this id). */
export function invalidProps(id: string, error: unknown): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return error ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}
