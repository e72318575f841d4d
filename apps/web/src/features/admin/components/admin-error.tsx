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
