import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import { formatVisit } from '../../../lib/visit-date';
import { fetchStaffHistory, type StaffHistoryEntry } from '../api/staff-api';

// The events with their own words; another (a newer API's) shows as its code.
const KNOWN_EVENTS = [
  'created',
  'after_photo',
  'requalified',
  'comment',
  'assisted_filing',
  'confirmed_fixed',
] as const;

/**
 * The report's internal history, folded: who did what and when, staff by name, with assignments
 * and internal notes. Read when opened, and again after each change (`version`).
 */
export function StaffHistory({ reportId, version }: { reportId: string; version: string }) {
  const { t, locale } = useI18n();
  const [isOpen, setOpen] = useState(false);
  const [entries, setEntries] = useState<StaffHistoryEntry[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!isOpen) return;
    let isCurrent = true;
    fetchStaffHistory(reportId).then(
      (history) => isCurrent && (setEntries(history.entries), setFailed(false)),
      () => isCurrent && setFailed(true),
    );
    return () => {
      isCurrent = false;
    };
  }, [isOpen, reportId, version]);

  const who = (entry: StaffHistoryEntry) =>
    entry.actor.kind === 'staff'
      ? (entry.actor.name ?? t('staff.history.staff'))
      : t(`staff.history.${entry.actor.kind}` as MessageKey);
  const what = (entry: StaffHistoryEntry) => {
    if (entry.event === 'status_changed' && entry.toStatus) return t(`staff.to.${entry.toStatus}`);
    if (entry.event === 'assigned')
      return entry.assignee ? t('staff.history.assignedTo', { name: entry.assignee }) : t('staff.history.unassigned');
    if (entry.event === 'note') return t('staff.history.note', { note: entry.note ?? '' });
    return (KNOWN_EVENTS as readonly string[]).includes(entry.event)
      ? t(`staff.history.event.${entry.event}` as MessageKey)
      : entry.event;
  };

  return (
    <details className="staff-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('staff.history.title')}</summary>
      {failed && <p className="form-error">{t('staff.history.failed')}</p>}
      {isOpen && !entries && !failed && <p className="page-loading">{t('common.loading')}</p>}
      {entries && (
        <ol className="staff-history-list">
          {entries.map((entry, index) => (
            <li key={index}>
              <span className="staff-history-when">{formatVisit(entry.at, locale)}</span> <strong>{who(entry)}</strong>
              {' · '}
              {what(entry)}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
