/**
 * A `geo:` URI (RFC 5870) with Android's `q=lat,lon(label)` pin: a phone opens its own map app
 * there and offers the way. Parentheses would end the label early, so they become spaces.
 */
export function toGeoUri([lon, lat]: [lon: number, lat: number], label?: string | null): string {
  const point = `${lat.toFixed(6)},${lon.toFixed(6)}`;
  const name = label?.replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
  return `geo:${point}?q=${point}${name ? `(${encodeURIComponent(name)})` : ''}`;
}
