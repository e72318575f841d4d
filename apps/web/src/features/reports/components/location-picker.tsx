import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import { useI18n } from '../../../i18n';
import { createPinIcon, toLatLng, toLonLat, type LonLat } from '../../map/leaflet/base-map';
import { useBaseMap } from '../../map/hooks/use-base-map';
import type { AddressLookup } from '../hooks/use-address-at';
import { useGeolocation } from '../hooks/use-geolocation';
import { PlaceAddress } from './place-address';

// Close enough to see the pavement in front of a given building.
const LOCATED_ZOOM = 17;

interface LocationPickerProps {
  value: LonLat | null;
  onChange: (value: LonLat) => void;
  isInvalid: boolean;
  describedBy?: string;
  /** Changes when the point was chosen away from the map (an address, a photo): the map goes there. */
  recenterKey?: number;
  /** The address found at the pin, said under the map; without it, only the coordinates are. */
  address?: AddressLookup;
  /** Told the map's centre once it is built and after each move: the address search ranks around it. */
  onCentreChange?: (centre: LonLat) => void;
}

/** A small map where a tap places a draggable pin, plus "use my location". */
export function LocationPicker({
  value,
  onChange,
  isInvalid,
  describedBy,
  recenterKey = 0,
  address,
  onCentreChange,
}: LocationPickerProps) {
  const { t } = useI18n();
  const [geolocation, locate] = useGeolocation();
  const containerRef = useRef<HTMLDivElement>(null);
  // The page scrolls; a wheel over the map must not zoom it by surprise.
  const map = useBaseMap(containerRef, { scrollWheelZoom: false, showAreaLabels: false });
  const pinRef = useRef<L.Marker | null>(null);
  const accuracyRef = useRef<L.Circle | null>(null);
  const onChangeRef = useRef(onChange);
  const onCentreRef = useRef(onCentreChange);
  useEffect(() => {
    onChangeRef.current = onChange;
    onCentreRef.current = onCentreChange;
  }, [onChange, onCentreChange]);

  useEffect(() => {
    if (!map) return;
    map.on('click', (event: L.LeafletMouseEvent) => onChangeRef.current(toLonLat(event.latlng)));
    // Leaflet may still fire a debounced moveend (after a resize) once the map is removed.
    let isLive = true;
    map.on('unload', () => {
      isLive = false;
    });
    const tellCentre = () => isLive && onCentreRef.current?.(toLonLat(map.getCenter()));
    map.on('moveend', tellCentre);
    tellCentre();
    return () => {
      isLive = false;
      pinRef.current = null;
      accuracyRef.current = null;
    };
  }, [map]);

  // The pin follows `value`, whoever changed it (tap, drag, geolocation).
  useEffect(() => {
    if (!map) return;
    if (!value) {
      pinRef.current?.remove();
      pinRef.current = null;
      return;
    }
    if (pinRef.current) {
      pinRef.current.setLatLng(toLatLng(value));
      return;
    }
    const pin = L.marker(toLatLng(value), {
      icon: createPinIcon(),
      draggable: true,
      autoPan: true,
      title: t('form.location'),
      keyboard: false,
    }).addTo(map);
    pin.on('dragend', () => onChangeRef.current(toLonLat(pin.getLatLng())));
    pinRef.current = pin;
  }, [map, value, t]);

  const valueRef = useRef(value);
  valueRef.current = value;
  useEffect(() => {
    const point = valueRef.current;
    if (!map || !point || recenterKey === 0) return;
    map.setView(toLatLng(point), Math.max(map.getZoom(), LOCATED_ZOOM));
  }, [recenterKey, map]);

  useEffect(() => {
    if (geolocation.status !== 'found') return;
    const { position, accuracyMeters } = geolocation;
    onChangeRef.current(position);
    if (!map) return;
    accuracyRef.current?.remove();
    accuracyRef.current = L.circle(toLatLng(position), {
      radius: accuracyMeters,
      interactive: false,
      className: 'accuracy-circle',
    }).addTo(map);
    map.setView(toLatLng(position), Math.max(map.getZoom(), LOCATED_ZOOM));
  }, [geolocation, map]);

  const placeAtCentre = () => {
    if (map) onChangeRef.current(toLonLat(map.getCenter()));
  };

  return (
    <div className="location-picker">
      <div
        ref={containerRef}
        className={`location-map${isInvalid ? ' location-map--invalid' : ''}`}
        role="region"
        aria-label={t('form.location.map')}
        aria-describedby={describedBy}
      />
      <div className="location-actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={locate}
          disabled={geolocation.status === 'locating'}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="12" cy="12" r="4" fill="currentColor" />
            <path
              d="M12 2v3M12 19v3M2 12h3M19 12h3M12 6.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11Z"
              stroke="currentColor"
              strokeWidth="2"
              fill="none"
              strokeLinecap="round"
            />
          </svg>
          {t('form.location.useMine')}
        </button>
        <button type="button" className="button button--quiet" onClick={placeAtCentre}>
          {t('form.location.centre')}
        </button>
      </div>
      <p className="field-status" role="status" data-testid="geolocation-status">
        {geolocation.status === 'locating' && t('form.location.locating')}
        {geolocation.status === 'found' && t('form.location.accuracy', { m: Math.round(geolocation.accuracyMeters) })}
        {geolocation.status === 'failed' && t(`form.location.${geolocation.reason}`)}
      </p>
      <PlaceAddress point={value} lookup={address} />
    </div>
  );
}
