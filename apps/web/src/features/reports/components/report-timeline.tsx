import { toneOf } from '@pave/shared';
import { useId } from 'react';
import { useI18n } from '../../../i18n';
import type { TimelineEntry } from '../api/reports-api';
import { ModeratedNotice } from '../../moderation/components/moderated-notice';

/** What happened to the report, oldest first: the answer to "did anyone do anything?". */
export function ReportTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, label, formatDate } = useI18n();
  const titleId = useId();
  if (entries.length === 0) return null;
  const ordered = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="report-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t('report.timeline')}
      </h2>
      <ol className="timeline" data-testid="report-timeline">
        {ordered.map((entry, index) => (
          <li
            key={`${entry.at}-${index}`}
            className={`timeline-item timeline-item--${entry.status ? toneOf(entry.status) : 'note'}`}
          >
            <span className="timeline-dot" aria-hidden="true" />
            <p className="timeline-label">{label(entry.label)}</p>
            <p className="timeline-date">
              <time dateTime={entry.at}>{formatDate(entry.at)}</time>
            </p>
            {/* Messages are text from city staff or residents: never markup. */}
            {entry.moderation === 'hidden' && <ModeratedNotice />}
            {entry.message && <p className="timeline-message">{entry.message}</p>}
            {entry.photoUrl && (
              <a href={entry.photoUrl} target="_blank" rel="noopener" className="timeline-photo">
                <img src={entry.photoUrl} alt={t('report.timeline.photo')} loading="lazy" />
              </a>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
