import type { AdminAuditEntry } from '@pave/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { describeAuditEntry, formatJournalTime } from '../admin-journal';
import { fetchAudit } from '../api/admin-api';
import { AdminError } from './admin-error';
import { AdminPager, AdminSearch, useSearchPage } from './admin-list-tools';

/** Who changed what and when, newest first, one sentence each, with the date and the time in Paris. */
export function AuditSection() {
  const { t, locale } = useI18n();
  const [entries, setEntries] = useState<AdminAuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useSearchPage(entries ?? [], (entry) => `${describeAuditEntry(entry, t)} ${entry.actor.email}`);

  useEffect(() => {
    fetchAudit().then(
      ({ entries }) => setEntries(entries),
      (caught: unknown) => setError(caught),
    );
  }, []);

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.journal.title')}</h2>
      <AdminError error={error} />
      {entries && entries.length === 0 && <p>{t('admin.audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <>
          <AdminSearch
            id="admin-audit-search"
            label={t('admin.journal.search')}
            query={list.query}
            onQuery={list.setQuery}
            found={list.found}
            total={list.total}
          />
          <ol className="admin-journal" data-testid="audit-list">
            {list.shown.map(({ item: entry }) => (
              <li key={entry.id} className="admin-journal__entry">
                <time className="admin-journal__time" dateTime={entry.at}>
                  {formatJournalTime(entry.at, locale, t)}
                </time>
                <span className="admin-journal__sep" aria-hidden="true">
                  {' — '}
                </span>
                <span>{describeAuditEntry(entry, t)}</span>
              </li>
            ))}
          </ol>
          <AdminPager page={list.page} pages={list.pages} onPage={list.setPage} />
        </>
      )}
    </div>
  );
}
