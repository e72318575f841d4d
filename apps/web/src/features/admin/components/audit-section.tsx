import type { AdminAuditEntry } from '@pave/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { fetchAudit } from '../api/admin-api';
import { AdminError } from './admin-error';

/** Which fields an entry changed: the before/after objects differ only there. */
function changedFields(entry: AdminAuditEntry): string {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key}: ${key in after ? JSON.stringify(after[key]) : '—'}`)
    .join(', ')
    .slice(0, 300);
}

/** Who changed what and when, newest first. */
export function AuditSection() {
  const { t, formatDate } = useI18n();
  const [entries, setEntries] = useState<AdminAuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    fetchAudit().then(
      ({ entries }) => setEntries(entries),
      (caught: unknown) => setError(caught),
    );
  }, []);

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.tab.audit')}</h2>
      <AdminError error={error} />
      {entries && entries.length === 0 && <p>{t('admin.audit.empty')}</p>}
      <AdminTable
        testId="audit-table"
        columns={['admin.audit.when', 'admin.audit.who', 'admin.audit.what', 'admin.audit.changes']}
      >
        {(entries ?? []).map((entry) => (
          <tr key={entry.id}>
            <td className="admin-nowrap">{formatDate(entry.at, 'short')}</td>
            <td>{entry.actor.email}</td>
            <td>
              {entry.action} · {entry.entity} {entry.entityId}
            </td>
            <td className="admin-muted admin-changes">{changedFields(entry)}</td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
