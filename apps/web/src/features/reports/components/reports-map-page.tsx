import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { indexCategories, type CategoryEntry } from '../../categories/api/categories-api';
import { useCategories } from '../../categories/hooks/use-categories';
import { MapFiltersPanel } from '../../map/components/map-filters';
import { MapLegend } from '../../map/components/map-legend';
import { useBaseMap } from '../../map/hooks/use-base-map';
import { readFilters, type MapFilters } from '../../map/public-map-filters';
import { attachReportLayers, initialView } from '../leaflet/public-report-layers';
import { renderReportPopup } from '../leaflet/report-popup';

/**
 * The public map: counts per area when zoomed out, single reports when zoomed in, coloured by
 * status, filtered, and updated live as reports are filed or change status anywhere.
 */
export function ReportsMapPage() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('map.title'));
  const categories = useCategories();
  const containerRef = useRef<HTMLDivElement>(null);
  // An explicit ceiling: without base tiles the map would take the report layer's as its own.
  const map = useBaseMap(containerRef, (config) => ({ ...initialView(config), maxZoom: 19 }));
  const [filters, setFilters] = useState<MapFilters>(() => readFilters(new URLSearchParams(window.location.search)));
  const [isTruncated, setIsTruncated] = useState(false);
  const [hasLoadError, setHasLoadError] = useState(false);
  const [hasPopup, setHasPopup] = useState(false);
  const [listHref, setListHref] = useState('/reports');
  const [liveMessage, setLiveMessage] = useState('');

  // Leaflet callbacks outlive renders: they read the current language, categories and filters here.
  const i18nRef = useRef(i18n);
  const categoriesRef = useRef<Map<string, CategoryEntry> | null>(null);
  const filtersRef = useRef(filters);
  const applyFiltersRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    i18nRef.current = i18n;
  }, [i18n]);
  useEffect(() => {
    categoriesRef.current = categories.status === 'ready' ? indexCategories(categories.data) : null;
  }, [categories]);
  useEffect(() => {
    filtersRef.current = filters;
    applyFiltersRef.current?.();
  }, [filters]);

  useEffect(() => {
    const container = containerRef.current;
    if (!map || !container) return;
    const layers = attachReportLayers(map, container, {
      filters: () => filtersRef.current,
      renderPopup: (report) => renderReportPopup(report, i18nRef.current, categoriesRef.current),
      onTruncated: setIsTruncated,
      onLoadError: setHasLoadError,
      onPopup: setHasPopup,
      onListHref: setListHref,
      onCreated: () => setLiveMessage(i18nRef.current.t('map.live')),
    });
    applyFiltersRef.current = layers.applyFilters;
    return () => {
      applyFiltersRef.current = null;
      layers.detach();
    };
  }, [map]);

  return (
    <div className={hasPopup ? 'map-page map-page--popup' : 'map-page'}>
      <div ref={containerRef} className="reports-map" role="region" aria-label={t('map.label')} />
      <div className="map-toolbar">
        <MapFiltersPanel
          filters={filters}
          categories={categories.status === 'ready' ? categories.data : null}
          onChange={setFilters}
        />
        <Link href={listHref} className="map-tool" aria-label={t('map.list.label')}>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01"
              stroke="currentColor"
              strokeWidth="2.4"
              strokeLinecap="round"
            />
          </svg>
          {t('map.list')}
        </Link>
      </div>
      {isTruncated && (
        <p className="map-note" role="status">
          {t('map.truncated')}
        </p>
      )}
      {hasLoadError && (
        <p className="map-note map-note--error" role="status">
          {t('map.loadFailed')}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {liveMessage}
      </p>
      <MapLegend />
      <Link href="/signaler" className="button button--primary map-cta">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
        {t('map.cta')}
      </Link>
    </div>
  );
}
