import { useId } from 'react';
import { useI18n } from '../../../i18n';
import type { ReportPhotoWithKind } from '../api/reports-api';

/** The report's photos: the resident's, and the crew's after the work, side by side when there are both. */
export function ReportPhotos({ photos }: { photos: ReportPhotoWithKind[] }) {
  const { t } = useI18n();
  const photosTitle = useId();
  // Photos added with comments appear in the timeline, next to what was said.
  const before = photos.filter((photo) => photo.kind === 'initial');
  const after = photos.filter((photo) => photo.kind === 'after');
  if (before.length + after.length === 0) return null;
  return (
    <section className="report-section" aria-labelledby={photosTitle}>
      <h2 id={photosTitle} className="section-title">
        {t('report.photos')}
      </h2>
      {before.length > 0 && after.length > 0 ? (
        <div className="before-after">
          <div>
            <h3 className="photo-group-title">{t('report.photos.before')}</h3>
            <PhotoList photos={before} offset={0} />
          </div>
          <div>
            <h3 className="photo-group-title">{t('report.photos.after')}</h3>
            <PhotoList photos={after} offset={before.length} />
          </div>
        </div>
      ) : after.length > 0 ? (
        // Only the crew's photo (a report filed without one): no empty "Before" beside it.
        <>
          <h3 className="photo-group-title">{t('report.photos.after')}</h3>
          <PhotoList photos={after} offset={0} />
        </>
      ) : (
        <PhotoList photos={before} offset={0} />
      )}
    </section>
  );
}

function PhotoList({ photos, offset }: { photos: ReportPhotoWithKind[]; offset: number }) {
  const { t } = useI18n();
  return (
    <ul className="report-photos" data-testid="report-photos">
      {photos.map((photo, index) => (
        <li key={photo.id} className={`report-photo report-photo--${photo.status}`} data-status={photo.status}>
          {photo.urls ? (
            <a href={photo.urls.large} target="_blank" rel="noopener">
              <img src={photo.urls.thumb} alt={t('report.photo.alt', { n: offset + index + 1 })} loading="lazy" />
            </a>
          ) : (
            <span className="report-photo-placeholder">
              {photo.status === 'failed' ? t('report.photo.failed') : t('report.photo.pending')}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
