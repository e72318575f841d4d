import { useEffect, useState } from 'react';
import { PUBLIC_STATUS } from '@pave/shared';
import { BackToMapPage } from '../../../components/not-found-page';
import { PageLoading } from '../../../components/page-loading';
import { PinGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import { Link, navigate } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { LonLat } from '../../map/leaflet/base-map';
import type { ReportView } from '../api/reports-api';
import { useFollowConfirmation, type FollowConfirmation } from '../hooks/use-follow-confirmation';
import { useReport, type ReportLookup } from '../hooks/use-report';
import { useViewerRole } from '../hooks/use-viewer-role';
import { ReportFacts } from './report-facts';
import { ReportFollowUp } from './report-follow-up';
import { ReportLocationMap } from './report-location-map';
import { ReportPhotos } from './report-photos';
import { ReportSupport } from './report-support';
import { ReportTimeline } from './report-timeline';
import { StatusBadge } from './status-badge';
import { FlagAbuse } from '../../moderation/components/flag-abuse';
import { ModeratedNotice } from '../../moderation/components/moderated-notice';
import { formatVisit } from '../../../lib/visit-date';

/** `/r/:ref` (and the older `/reports/:id`, which moves to it): what anyone may know about one report. */
export function ReportPage({ lookup }: { lookup: ReportLookup }) {
  const { t } = useI18n();
  const [state, reload] = useReport(lookup);
  const confirmation = useFollowConfirmation(state.status === 'ready' ? state.report : null);
  useDocumentTitle(
    state.status === 'ready'
      ? state.report.ref
      : state.status === 'not-found'
        ? t('report.notFound')
        : t('report.loading'),
  );

  // One address per report: the reference residents read out, keeping any private token.
  useEffect(() => {
    if (lookup.by !== 'id' || state.status !== 'ready') return;
    navigate(`/r/${encodeURIComponent(state.report.ref)}${window.location.search}`, { replace: true });
  }, [lookup.by, state]);

  if (state.status === 'loading') return <PageLoading message={t('report.loading')} />;
  if (state.status === 'not-found' || state.status === 'error') {
    const isMissing = state.status === 'not-found';
    return (
      <BackToMapPage title={isMissing ? t('report.notFound') : t('report.loadFailed')}>
        {isMissing && <p>{t('report.notFound.text')}</p>}
      </BackToMapPage>
    );
  }
  if (confirmation === 'confirming') return <PageLoading message={t('follow.confirming')} />;
  // Keyed on the confirmation: once confirmed, the page reads the follower's token from its new address.
  return <ReportDetails key={confirmation} report={state.report} onChanged={reload} confirmation={confirmation} />;
}

function ConfirmationNotice({ confirmation }: { confirmation: FollowConfirmation }) {
  const { t } = useI18n();
  if (confirmation === 'confirmed') {
    return (
      <p className="notice notice--success" role="status" data-testid="follow-confirmed">
        {t('follow.confirmed')}
      </p>
    );
  }
  if (confirmation === 'failed') {
    return (
      <p className="notice notice--error" role="alert" data-testid="follow-confirm-failed">
        {t('follow.confirmFailed')}
      </p>
    );
  }
  return null;
}

function readToken(): string | null {
  const token = new URLSearchParams(window.location.search).get('t');
  return token && token.length <= 200 ? token : null;
}

function ReportDetails({
  report,
  onChanged,
  confirmation,
}: {
  report: ReportView;
  onChanged: () => void;
  confirmation: FollowConfirmation;
}) {
  const { t, label, locale } = useI18n();
  const [token] = useState(readToken);
  const [role, setRole] = useViewerRole(report.id, token);
  const [lon, lat] = report.location.coordinates as LonLat;

  return (
    <article className="page page--narrow report">
      <header className="report-header">
        <p className="report-ref" data-testid="report-page-ref">
          {report.ref}
        </p>
        <StatusBadge status={report.status} label={report.statusLabel} />
      </header>
      {report.statusDetail && (
        <p className="notice report-status-detail" data-testid="report-status-detail">
          {report.status === 'rejected'
            ? t('voice.rejectedBecause', { reason: label(report.statusDetail) })
            : label(report.statusDetail)}
        </p>
      )}
      <h1 className="page-title report-title">{label(report.category.label)}</h1>
      {report.address && (
        <p className="report-address" data-testid="report-address">
          <PinGlyph className="report-address-icon" />
          <span className="visually-hidden">{t('report.address')} : </span>
          {report.address}
        </p>
      )}
      <p className="report-subtitle">
        {label(report.category.group.label)} · {report.area ?? t('report.area.none')}
      </p>
      {report.scheduledFor && (
        <p className="notice report-scheduled" data-testid="report-scheduled">
          {t('report.scheduledFor', { date: formatVisit(report.scheduledFor, locale) })}
        </p>
      )}

      <ConfirmationNotice confirmation={confirmation} />

      <ReportFacts report={report} />

      <ReportPhotos photos={report.photos} />

      <section className="report-section" aria-labelledby="report-description">
        <h2 id="report-description" className="section-title">
          {t('report.description')}
        </h2>
        {/* Rendered as text: whatever a resident typed never becomes markup. */}
        {report.descriptionModeration === 'hidden' ? (
          <ModeratedNotice />
        ) : (
          <p
            className={report.description ? 'report-description' : 'report-description is-empty'}
            data-testid="report-description"
          >
            {report.description || t('report.description.none')}
          </p>
        )}
      </section>

      <ReportTimeline entries={report.timeline ?? []} />

      {/* After the report and its history: the private link's holder reads, then acts. */}
      {token && role && (
        <ReportFollowUp report={report} token={token} role={role} onRoleChange={setRole} onChanged={onChanged} />
      )}

      <ReportSupport
        key={report.id}
        id={report.id}
        supportCount={report.supportCount}
        isOpen={PUBLIC_STATUS[report.status].open311 === 'open'}
        isFollowedByViewer={!!role && (role.role === 'reporter' || role.following)}
        onChanged={onChanged}
      />

      <FlagAbuse report={report} />

      <section className="report-section" aria-labelledby="report-location">
        <h2 id="report-location" className="section-title">
          {t('report.location')}
        </h2>
        {report.address && <p className="report-location-address">{report.address}</p>}
        <ReportLocationMap location={[lon, lat]} areaName={report.area} />
        <p>
          <Link href={`/?lat=${lat}&lon=${lon}&z=17`} className="text-link">
            {t('report.onMap')}
          </Link>
        </p>
      </section>
    </article>
  );
}
