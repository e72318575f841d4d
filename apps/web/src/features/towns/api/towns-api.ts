import type { TownPage } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

/** A served town's public page: branding, figures, latest reports. */
export function fetchTownPage(code: string, signal?: AbortSignal): Promise<TownPage> {
  return requestJson<TownPage>(`/api/towns/${encodeURIComponent(code)}`, { signal });
}
