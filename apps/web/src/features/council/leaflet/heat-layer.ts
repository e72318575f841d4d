import * as L from 'leaflet';

/** A weighted point, `[lon, lat]` as the API gives it. */
export interface HeatPoint {
  lon: number;
  lat: number;
  weight: number;
}

// The blur radius in screen pixels: a little over a heat-map cell (32 px), so neighbours merge smoothly.
const RADIUS_PX = 26;
const BLUR_PX = 18;

/** Transparent → the cells' pale-to-dark palette (DENSITY_COLOURS), as a 256-entry lookup table. */
function buildGradient(): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = 256;
  canvas.height = 1;
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, 256, 0);
  gradient.addColorStop(0, 'rgba(217, 240, 196, 0)');
  gradient.addColorStop(0.15, 'rgba(217, 240, 196, 0.6)');
  gradient.addColorStop(0.35, '#a1dab4');
  gradient.addColorStop(0.55, '#41b6c4');
  gradient.addColorStop(0.8, '#2c7fb8');
  gradient.addColorStop(1, '#081d58');
  context.fillStyle = gradient;
  context.fillRect(0, 0, 256, 1);
  return context.getImageData(0, 0, 256, 1).data;
}

/**
 * A smooth heat layer drawn on one canvas over the map: each point is a blurred disc whose opacity
 * follows its weight (square root, as the cells' classes), then the summed intensity is coloured.
 * A hand-written layer instead of a plugin: about as much code as the plugin's glue would be.
 */
export class HeatLayer extends L.Layer {
  private canvas: HTMLCanvasElement | null = null;
  private points: HeatPoint[] = [];
  private maxWeight = 1;
  private gradient: Uint8ClampedArray | null = null;
  private stamp: HTMLCanvasElement | null = null;

  setPoints(points: HeatPoint[], maxWeight: number): this {
    this.points = points;
    this.maxWeight = Math.max(1, maxWeight);
    this.redraw();
    return this;
  }

  override onAdd(map: L.Map): this {
    this.canvas = L.DomUtil.create('canvas', 'council-heat leaflet-zoom-hide') as HTMLCanvasElement;
    this.canvas.setAttribute('aria-hidden', 'true');
    (map.getPane(this.options.pane ?? 'overlayPane') ?? map.getPanes().overlayPane).appendChild(this.canvas);
    map.on('moveend zoomend resize', this.redraw, this);
    this.redraw();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize', this.redraw, this);
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  private createStamp(): HTMLCanvasElement {
    const stamp = document.createElement('canvas');
    const size = (RADIUS_PX + BLUR_PX) * 2;
    stamp.width = size;
    stamp.height = size;
    const context = stamp.getContext('2d')!;
    // The shadow of a disc drawn off-canvas: a cheap Gaussian blur that every browser supports.
    context.shadowOffsetX = size;
    context.shadowBlur = BLUR_PX;
    context.shadowColor = 'black';
    context.beginPath();
    context.arc(size / 2 - size, size / 2, RADIUS_PX, 0, Math.PI * 2);
    context.fill();
    return stamp;
  }

  private redraw(): void {
    const map = this._map as L.Map | undefined;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const size = map.getSize();
    canvas.width = size.x;
    canvas.height = size.y;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context || size.x === 0 || size.y === 0) return;
    this.stamp ??= this.createStamp();
    this.gradient ??= buildGradient();
    const half = this.stamp.width / 2;
    const scale = Math.sqrt(this.maxWeight);
    for (const point of this.points) {
      const p = map.latLngToContainerPoint([point.lat, point.lon]);
      if (p.x < -half || p.y < -half || p.x > size.x + half || p.y > size.y + half) continue;
      // Overlapping discs add up: a modest alpha per point keeps dense districts from all reading as the maximum.
      context.globalAlpha = Math.min(1, 0.04 + 0.5 * (Math.sqrt(point.weight) / scale));
      context.drawImage(this.stamp, p.x - half, p.y - half);
    }
    const image = context.getImageData(0, 0, size.x, size.y);
    const pixels = image.data;
    for (let i = 3; i < pixels.length; i += 4) {
      const alpha = pixels[i]!;
      if (alpha === 0) continue;
      const offset = alpha * 4;
      pixels[i - 3] = this.gradient[offset]!;
      pixels[i - 2] = this.gradient[offset + 1]!;
      pixels[i - 1] = this.gradient[offset + 2]!;
      pixels[i] = this.gradient[offset + 3]!;
    }
    context.putImageData(image, 0, 0);
  }
}
