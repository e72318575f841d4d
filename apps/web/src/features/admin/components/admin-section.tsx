import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import { AdminFeedback } from './admin-feedback';

/** An admin tab's frame: its title, an optional intro, what the last action answered, then its content. */
export function AdminSection({
  title,
  intro,
  error,
  notice,
  children,
}: {
  title: string;
  intro?: string;
  error: unknown;
  notice: string;
  children: ReactNode;
}) {
  return (
    <div className="admin-section">
      <h2 className="section-title">{title}</h2>
      {intro && <p className="page-intro">{intro}</p>}
      <AdminFeedback error={error} notice={notice} />
      {children}
    </div>
  );
}

/** A yes/no checkbox in a table cell, saying its state next to it (and, when told, the refusal beside it). */
export function AdminCheck({
  checked,
  onChecked,
  ...aria
}: {
  checked: boolean;
  onChecked: (checked: boolean) => void;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}) {
  const { t } = useI18n();
  return (
    <label className="admin-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChecked(e.target.checked)} {...aria} />
      <span>{checked ? t('admin.yes') : t('admin.no')}</span>
    </label>
  );
}
