import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Reads a photo fixture (see tests/fixtures/photos/README.md). */
export function fixturePhoto(name: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, 'photos', name));
}

export interface FormFile {
  field?: string;
  name: string;
  data: Buffer;
  type?: string;
}

/** Encodes a multipart/form-data body the way a browser does, for `app.inject`. */
export async function multipart(
  fields: Record<string, string>,
  files: FormFile[] = [],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) {
    form.append(
      file.field ?? 'photos',
      new Blob([new Uint8Array(file.data)], { type: file.type ?? 'image/jpeg' }),
      file.name,
    );
  }
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type')! },
  };
}

/** A point in the 11th arrondissement (rue de la Roquette), `[lon, lat]`. */
export const POINT_PARIS_11 = { lon: 2.379, lat: 48.859 } as const;

/**
 * The text fields of the report form as the web app sends them: a pothole at `at` (the 11th by
 * default), with `fields` on top (description, email, another category…).
 */
export function reportFormFields(
  fields: Record<string, string> = {},
  at: { lon: number; lat: number } = POINT_PARIS_11,
): Record<string, string> {
  return { category: 'nid-de-poule', lat: String(at.lat), lon: String(at.lon), ...fields };
}
