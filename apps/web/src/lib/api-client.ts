import { ERROR_EXTRA_KEYS, type ErrorExtra } from '@pave/shared';

/**
 * A failed API call. `code` is the stable error code from `@pave/shared` errors,
 * `NETWORK` when the server could not be reached, `HTTP_<status>` when the answer had no code.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** What the code carries beside its message (ErrorExtra): figures a page puts in its own words. */
  readonly extra: ErrorExtra;

  constructor(code: string, status: number, message: string, extra: ErrorExtra = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

async function readErrorBody(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
      const message = 'message' in body && typeof body.message === 'string' ? body.message : '';
      const extra = Object.fromEntries(
        ERROR_EXTRA_KEYS.filter((key) => key in body).map((key) => [key, (body as ErrorExtra)[key]]),
      ) as ErrorExtra;
      return new ApiError(body.code, response.status, message, extra);
    }
  } catch {
    // Not JSON: a proxy or a crash page. The status is all we have.
  }
  return new ApiError(`HTTP_${response.status}`, response.status, response.statusText);
}

declare global {
  interface Window {
    /** Answers the boot script (vite.config.ts, preloadRoutePages) asked for before this code arrived. */
    paveEarly?: Record<string, Promise<Response>>;
  }
}

/** The boot script's request for `path`, taken once: later calls fetch anew. */
function takeEarlyResponse(path: string): Promise<Response> | undefined {
  const early = window.paveEarly?.[path];
  if (early) delete window.paveEarly![path];
  return early;
}

/** Fetches a JSON API resource; throws `ApiError` on failure and lets aborts through. */
export async function requestJson<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response =
      (init === undefined ? await takeEarlyResponse(path) : undefined) ??
      (await fetch(path, { ...init, headers: { Accept: 'application/json', ...init?.headers } }));
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError('NETWORK', 0, error instanceof Error ? error.message : 'network error');
  }
  if (!response.ok) throw await readErrorBody(response);
  // 204 No Content (an unfollow, a delete) has no body to parse.
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Memoises a loader for the whole visit: reference data (config, areas, categories) changes rarely. */
export function cacheOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    // A failure is not cached, so the next caller tries again.
    pending ??= load().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
