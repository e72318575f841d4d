/**
 * Reads the GPS position out of a JPEG's EXIF block, and nothing else. A full EXIF library would
 * cost more than the whole form; this walks the markers and two IFDs with every read bounds-checked,
 * and gives up (null) on anything unexpected.
 */

// The APP1 segment sits right after the start of the file; 128 KB covers it with margin.
const HEAD_BYTES = 128 * 1024;
const TAG_GPS_IFD = 0x8825;
const TAG_LAT_REF = 0x0001;
const TAG_LAT = 0x0002;
const TAG_LON_REF = 0x0003;
const TAG_LON = 0x0004;
const TYPE_ASCII = 2;
const TYPE_RATIONAL = 5;

/** `[lon, lat]` from the EXIF GPS tags of a JPEG, or null. */
export async function readExifGps(file: Blob): Promise<[number, number] | null> {
  try {
    const buffer = await file.slice(0, HEAD_BYTES).arrayBuffer();
    return parseJpegGps(new DataView(buffer));
  } catch {
    return null;
  }
}

export function parseJpegGps(view: DataView): [number, number] | null {
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    if (view.getUint8(offset) !== 0xff) return null;
    const marker = view.getUint8(offset + 1);
    // Start of scan: image data follows, no metadata after this point.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = view.getUint16(offset + 2);
    if (length < 2) return null;
    const start = offset + 4;
    if (marker === 0xe1 && start + 6 <= view.byteLength && readAscii(view, start, 4) === 'Exif') {
      const end = Math.min(start + length - 2, view.byteLength);
      return parseTiffGps(new DataView(view.buffer, view.byteOffset + start + 6, end - start - 6));
    }
    offset = start + length - 2;
  }
  return null;
}

function readAscii(view: DataView, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length && offset + i < view.byteLength; i += 1) {
    const code = view.getUint8(offset + i);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

interface Entry {
  type: number;
  count: number;
  /** Where the value is: inline in the entry when it fits in 4 bytes, else at an offset. */
  valueOffset: number;
}

function readIfd(tiff: DataView, offset: number, little: boolean): Map<number, Entry> | null {
  if (offset + 2 > tiff.byteLength) return null;
  const count = tiff.getUint16(offset, little);
  // A real IFD has a few dozen entries; anything huge is a broken or hostile file.
  if (count > 512 || offset + 2 + count * 12 > tiff.byteLength) return null;
  const entries = new Map<number, Entry>();
  for (let i = 0; i < count; i += 1) {
    const at = offset + 2 + i * 12;
    const type = tiff.getUint16(at + 2, little);
    const valueCount = tiff.getUint32(at + 4, little);
    const size = (type === TYPE_RATIONAL ? 8 : 1) * valueCount;
    entries.set(tiff.getUint16(at, little), {
      type,
      count: valueCount,
      valueOffset: size <= 4 ? at + 8 : tiff.getUint32(at + 8, little),
    });
  }
  return entries;
}

function readDegrees(tiff: DataView, entry: Entry | undefined, little: boolean): number | null {
  if (!entry || entry.type !== TYPE_RATIONAL || entry.count !== 3) return null;
  if (entry.valueOffset + 24 > tiff.byteLength) return null;
  const parts: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const numerator = tiff.getUint32(entry.valueOffset + i * 8, little);
    const denominator = tiff.getUint32(entry.valueOffset + i * 8 + 4, little);
    if (denominator === 0) return null;
    parts.push(numerator / denominator);
  }
  const [degrees, minutes, seconds] = parts as [number, number, number];
  return degrees + minutes / 60 + seconds / 3600;
}

function readRef(tiff: DataView, entry: Entry | undefined): string | null {
  if (!entry || entry.type !== TYPE_ASCII || entry.valueOffset >= tiff.byteLength) return null;
  return String.fromCharCode(tiff.getUint8(entry.valueOffset));
}

function parseTiffGps(tiff: DataView): [number, number] | null {
  if (tiff.byteLength < 8) return null;
  const order = tiff.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const little = order === 0x4949;
  const ifd0 = readIfd(tiff, tiff.getUint32(4, little), little);
  const pointer = ifd0?.get(TAG_GPS_IFD);
  if (!pointer) return null;
  const gpsOffset = pointer.count === 1 ? tiff.getUint32(pointer.valueOffset, little) : -1;
  const gps = gpsOffset > 0 ? readIfd(tiff, gpsOffset, little) : null;
  if (!gps) return null;
  const lat = readDegrees(tiff, gps.get(TAG_LAT), little);
  const lon = readDegrees(tiff, gps.get(TAG_LON), little);
  if (lat === null || lon === null || (lat === 0 && lon === 0)) return null;
  const latSign = readRef(tiff, gps.get(TAG_LAT_REF)) === 'S' ? -1 : 1;
  const lonSign = readRef(tiff, gps.get(TAG_LON_REF)) === 'W' ? -1 : 1;
  const point: [number, number] = [lon * lonSign, lat * latSign];
  return Math.abs(point[0]) <= 180 && Math.abs(point[1]) <= 90 ? point : null;
}
