import { describe, expect, it } from 'vitest';
import { parseJpegGps } from './exif-gps';

/** A minimal big-endian JPEG: SOI, an APP1 Exif segment holding IFD0 → GPS IFD, then SOS. */
function jpegWithGps(
  lat: [number, number, number],
  latRef: 'N' | 'S',
  lon: [number, number, number],
  lonRef: 'E' | 'W',
) {
  const tiff = new DataView(new ArrayBuffer(128));
  tiff.setUint16(0, 0x4d4d); // "MM"
  tiff.setUint16(2, 42);
  tiff.setUint32(4, 8); // IFD0 at 8
  // IFD0: one entry, the GPS pointer (LONG) to offset 26.
  tiff.setUint16(8, 1);
  tiff.setUint16(10, 0x8825);
  tiff.setUint16(12, 4);
  tiff.setUint32(14, 1);
  tiff.setUint32(18, 26);
  tiff.setUint32(22, 0);
  // GPS IFD at 26: four entries; rationals stored from offset 80.
  tiff.setUint16(26, 4);
  const entry = (index: number, tag: number, type: number, count: number, value: number) => {
    const at = 28 + index * 12;
    tiff.setUint16(at, tag);
    tiff.setUint16(at + 2, type);
    tiff.setUint32(at + 4, count);
    tiff.setUint32(at + 8, value);
  };
  entry(0, 1, 2, 2, latRef.charCodeAt(0) << 24);
  entry(1, 2, 5, 3, 80);
  entry(2, 3, 2, 2, lonRef.charCodeAt(0) << 24);
  entry(3, 4, 5, 3, 104);
  [...lat, ...lon].forEach((value, i) => {
    tiff.setUint32(80 + i * 8, Math.round(value * 100));
    tiff.setUint32(84 + i * 8, 100);
  });
  const header = [0xff, 0xd8, 0xff, 0xe1, 0, 2 + 6 + 128, 0x45, 0x78, 0x69, 0x66, 0, 0];
  const bytes = new Uint8Array(header.length + 128 + 4);
  bytes.set(header);
  bytes.set(new Uint8Array(tiff.buffer), header.length);
  bytes.set([0xff, 0xda, 0, 2], header.length + 128);
  return new DataView(bytes.buffer);
}

describe('parseJpegGps', () => {
  it('reads degrees, minutes and seconds with their hemispheres, as [lon, lat]', () => {
    const point = parseJpegGps(jpegWithGps([48, 51, 32.4], 'N', [2, 22, 44.4], 'E'));
    expect(point?.[0]).toBeCloseTo(2.379, 3);
    expect(point?.[1]).toBeCloseTo(48.859, 3);
    const south = parseJpegGps(jpegWithGps([33, 52, 4], 'S', [151, 12, 26], 'W'));
    expect(south?.[0]).toBeLessThan(0);
    expect(south?.[1]).toBeLessThan(0);
  });

  it('gives up on anything that is not a JPEG with GPS, and on truncated files', () => {
    expect(parseJpegGps(new DataView(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer))).toBeNull();
    expect(parseJpegGps(new DataView(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]).buffer))).toBeNull();
    const full = jpegWithGps([48, 51, 32.4], 'N', [2, 22, 44.4], 'E');
    expect(parseJpegGps(new DataView(full.buffer, 0, 60))).toBeNull();
  });
});
