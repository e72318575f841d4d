import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useAnnouncedHeading } from '../../../lib/use-announced-heading';

/**
 * What the resident sees once the report flow is done: a tick, the heading (focused), the details, and
 * the two ways on: the report's page and another report.
 */
export function Confirmation({
  titleId,
  title,
  href,
  linkText,
  onStartOver,
  children,
  after,
}: {
  titleId: string;
  title: string;
  /** The report's page, and what its button says. */
  href: string;
  linkText: string;
  onStartOver: () => void;
  children: ReactNode;
  /** Shown after the actions. */
  after?: ReactNode;
}) {
  const { t } = useI18n();
  const headingRef = useAnnouncedHeading();
  return (
    <div className="page page--narrow">
      <section className="confirmation" aria-labelledby={titleId}>
        <div className="confirmation-icon" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="56" height="56">
            <circle cx="24" cy="24" r="22" />
            <path d="M14 24.5l7 7 13-14" fill="none" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <h1 id={titleId} className="page-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h1>
        {children}
        <div className="confirmation-actions">
          <Link href={href} className="button button--primary button--block">
            {linkText}
          </Link>
          <button type="button" className="button button--secondary button--block" onClick={onStartOver}>
            {t('created.another')}
          </button>
        </div>
        {after}
      </section>
    </div>
  );
}
