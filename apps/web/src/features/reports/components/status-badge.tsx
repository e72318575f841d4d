import { toneOf } from '@pave/shared';
import type { Label } from '@pave/shared';
import { useI18n } from '../../../i18n';

/** The public status of a report as a coloured pill. */
export function StatusBadge({ status, label }: { status: string; label: Label }) {
  const { label: pick } = useI18n();
  return (
    <span className={`status-badge status-badge--${toneOf(status)}`} data-testid="report-status">
      {pick(label)}
    </span>
  );
}
