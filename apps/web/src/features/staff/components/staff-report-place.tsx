import type { PublicReport } from '@pave/shared';
import { DirectionsGlyph, PinGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import { toGeoUri } from '../../../lib/geo-uri';
import type { LonLat } from '../../map/leaflet/base-map';
import { ReportLocationMap } from '../../reports/components/report-location-map';

// Wider than the public page's street view: offline, the service area's edge is the landmark.
const CREW_MAP_ZOOM = 15;

/**
 * Where the crew must go: the address in large type, a small map with the pin inside its service
 * area's outline, and « Itinéraire », a `geo:` link the phone's own map app opens.
 */
export function StaffReportPlace({ report }: { report: PublicReport }) {
  const { t } = useI18n();
  const location = report.location.coordinates as LonLat;
  const [lon, lat] = location;
  return (
    <section className="staff-place" aria-label={t('staff.place.title')} data-testid="staff-place">
      <p className="staff-address" data-testid="staff-address">
        <PinGlyph className="staff-address-icon" />
        <span>
          {report.address ?? t('staff.place.noAddress')}
          {report.area && <span className="staff-address-area">{report.area}</span>}
        </span>
      </p>
      <ReportLocationMap
        location={location}
        areaName={report.area}
        zoom={CREW_MAP_ZOOM}
        hasZoomButtons
        className="staff-place-map"
      />
      <p className="staff-place-coordinates">
        {t('form.location.chosen', { lat: lat.toFixed(5), lon: lon.toFixed(5) })}
      </p>
      <a
        className="button button--primary staff-directions"
        href={toGeoUri(location, report.address)}
        data-testid="staff-directions"
      >
        <DirectionsGlyph />
        {t('staff.place.directions')}
      </a>
      <p className="field-hint staff-directions-hint">{t('staff.place.directions.hint')}</p>
    </section>
  );
}
