import { STATUS_TONE_COLOURS, STATUS_TONES, toneOf, type StatusTone } from '@pave/shared';
import { VectorTile } from '@mapbox/vector-tile';
import * as L from 'leaflet';
import { PbfReader } from 'pbf';

/** A drawn feature, in global pixel coordinates at its tile's zoom (for hit-testing). */
export type TileFeature =
  | { kind: 'report'; px: number; py: number; id: string; status: string; category: string; group: string }
  | { kind: 'cell'; px: number; py: number; count: number; open: number };

interface LoadedTile {
  canvas: HTMLCanvasElement;
  coords: L.Coords;
  features: TileFeature[];
  controller: AbortController | null;
}

// Closed reports first, so open ones are drawn on top where points overlap.
const TONE_ORDER: Record<StatusTone, number> = { closed: 0, resolved: 1, active: 2, new: 3, reopened: 4 };

function cssColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** "1,234" → "1.2k" once a bubble label would not fit. */
function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return `${Math.round(n / 1000)}k`;
}

/** The bubble radius of a grid cell: grows with the log of its count, and stays inside its 64-pixel cell. */
export function cellRadius(count: number): number {
  return Math.min(25, 11 + 3.6 * Math.log10(count));
}

/**
 * The public reports as vector tiles drawn on canvas: counts per grid cell when zoomed out, single
 * reports when zoomed in. A canvas per tile keeps the DOM small whatever the number of reports;
 * clicks are matched against the decoded features (`featureAt`).
 */
export class ReportTileLayer extends L.GridLayer {
  private template: string;
  private readonly loaded = new Map<string, LoadedTile>();
  private readonly colours: Record<StatusTone | 'cell' | 'cellOpen', string>;
  private readonly isTouch = L.Browser.mobile;

  constructor(template: string, options: L.GridLayerOptions) {
    super(options);
    this.template = template;
    const tones = STATUS_TONES.map((tone) => [tone, cssColour(`--status-${tone}`, STATUS_TONE_COLOURS[tone])]);
    this.colours = {
      ...(Object.fromEntries(tones) as Record<StatusTone, string>),
      cell: cssColour('--status-resolved', STATUS_TONE_COLOURS.resolved),
      cellOpen: cssColour('--color-primary-strong', '#1e3a8a'),
    };
    this.on('tileunload', (event: L.TileEvent) => {
      const key = this.keyOf(event.coords);
      this.loaded.get(key)?.controller?.abort();
      this.loaded.delete(key);
    });
  }

  /** Changes the tile URL (filters, data version) and reloads every tile. */
  setTemplate(template: string): void {
    if (template === this.template) return;
    this.template = template;
    this.redraw();
  }

  /**
   * Reloads in place the loaded tiles around a point (after a live change there), without the
   * flash of a full redraw. `template` carries the new data version, so no cached copy is served.
   */
  refreshAround(latLng: L.LatLng, template: string): void {
    this.template = template;
    const map = this._map as L.Map | undefined;
    if (!map) return;
    const size = this.getTileSize();
    for (const tile of this.loaded.values()) {
      const point = map.project(latLng, tile.coords.z);
      const tx = Math.floor(point.x / size.x);
      const ty = Math.floor(point.y / size.y);
      // Neighbours too: a point near an edge is drawn in the next tile's buffer, a cell in its ring.
      if (Math.abs(tile.coords.x - tx) <= 1 && Math.abs(tile.coords.y - ty) <= 1) void this.load(tile);
    }
  }

  /** The feature drawn nearest to a container point, within a finger's or a pointer's reach. */
  featureAt(latLng: L.LatLng): TileFeature | null {
    const map = this._map as L.Map | undefined;
    if (!map) return null;
    const zoom = map.getZoom();
    const point = map.project(latLng, zoom);
    const reach = this.isTouch ? 16 : 9;
    let best: TileFeature | null = null;
    let bestDistance = Infinity;
    for (const tile of this.loaded.values()) {
      if (tile.coords.z !== zoom) continue;
      for (const feature of tile.features) {
        const distance = Math.hypot(feature.px - point.x, feature.py - point.y);
        const radius = feature.kind === 'cell' ? cellRadius(feature.count) + 2 : reach;
        if (distance <= radius && distance < bestDistance) {
          best = feature;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  /** How many features the loaded tiles hold (the browser's whole share of the data). */
  featureCount(): number {
    let n = 0;
    for (const tile of this.loaded.values()) n += tile.features.length;
    return n;
  }

  protected override createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const canvas = document.createElement('canvas');
    const size = this.getTileSize();
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    const tile: LoadedTile = { canvas, coords, features: [], controller: null };
    this.loaded.set(this.keyOf(coords), tile);
    this.load(tile).then(
      () => done(undefined, canvas),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), canvas),
    );
    return canvas;
  }

  private keyOf(coords: L.Coords): string {
    return `${coords.z}/${coords.x}/${coords.y}`;
  }

  private async load(tile: LoadedTile): Promise<void> {
    tile.controller?.abort();
    const controller = new AbortController();
    tile.controller = controller;
    const { x, y, z } = tile.coords;
    const url = this.template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    let bytes: ArrayBuffer;
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) throw new Error(`tile ${z}/${x}/${y}: HTTP ${response.status}`);
      bytes = await response.arrayBuffer();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      throw error;
    }
    if (tile.controller !== controller) return;
    tile.controller = null;
    tile.features = this.decode(bytes, tile.coords);
    this.draw(tile);
  }

  private decode(bytes: ArrayBuffer, coords: L.Coords): TileFeature[] {
    if (bytes.byteLength === 0) return [];
    const vt = new VectorTile(new PbfReader(new Uint8Array(bytes)));
    const size = this.getTileSize();
    const features: TileFeature[] = [];
    for (const name of ['cells', 'reports'] as const) {
      const layer = vt.layers[name];
      if (!layer) continue;
      const scale = size.x / layer.extent;
      for (let i = 0; i < layer.length; i += 1) {
        const feature = layer.feature(i);
        const point = feature.loadGeometry()[0]?.[0];
        if (!point) continue;
        const px = coords.x * size.x + point.x * scale;
        const py = coords.y * size.y + point.y * scale;
        const p = feature.properties;
        features.push(
          name === 'cells'
            ? { kind: 'cell', px, py, count: Number(p.count), open: Number(p.open) }
            : {
                kind: 'report',
                px,
                py,
                id: String(p.id),
                status: String(p.status),
                category: String(p.category),
                group: String(p.group),
              },
        );
      }
    }
    return features;
  }

  private draw(tile: LoadedTile): void {
    const context = tile.canvas.getContext('2d');
    if (!context) return;
    const size = this.getTileSize();
    const ratio = tile.canvas.width / size.x;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.x, size.y);
    const ox = tile.coords.x * size.x;
    const oy = tile.coords.y * size.y;
    const reports = tile.features.filter((f) => f.kind === 'report');
    reports.sort((a, b) => TONE_ORDER[toneOf(a.status)] - TONE_ORDER[toneOf(b.status)]);
    const radius = this.isTouch ? 6 : 5;
    context.lineWidth = 1.5;
    context.strokeStyle = '#ffffff';
    for (const f of reports) {
      context.beginPath();
      context.arc(f.px - ox, f.py - oy, radius, 0, Math.PI * 2);
      context.fillStyle = this.colours[toneOf(f.status)];
      context.fill();
      context.stroke();
    }
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.font = '700 12px system-ui, sans-serif';
    for (const f of tile.features) {
      if (f.kind !== 'cell') continue;
      const r = cellRadius(f.count);
      context.beginPath();
      context.arc(f.px - ox, f.py - oy, r, 0, Math.PI * 2);
      // Mostly open: the city's blue; mostly fixed: green. Residents read "still to do" at a glance.
      context.fillStyle = f.open * 2 >= f.count ? this.colours.cellOpen : this.colours.cell;
      context.globalAlpha = 0.88;
      context.fill();
      context.globalAlpha = 1;
      context.lineWidth = 2;
      context.stroke();
      context.fillStyle = '#ffffff';
      context.fillText(shortCount(f.count), f.px - ox, f.py - oy + 0.5);
    }
  }
}
