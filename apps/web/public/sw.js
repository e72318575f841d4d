// Pavé's service worker: the app shell opens without a network, and the public map shows what it last saw.
// Hand-written and small on purpose (docs/adr/0004-public-map-tiles.md).
// - Navigations: network first, the cached shell when offline.
// - /assets/* (content-hashed by Vite, so immutable): precached at install, then cache first.
// - The public map's reports (/api/tiles/reports/*, /api/map/reports): network first; the last answer
//   for the same place and filters is kept and served only when the network fails. The page then
//   says it is offline (shell/offline-banner.tsx), so an old map is never taken for a live one.
// - The rest of /api/* and /media/*: never touched. A report or a status must be live or fail visibly.
// The build (vite.config.ts, precacheServiceWorker) fills in the version and every hashed asset of the
// bundle, lazy route chunks included: a page first opened offline must not miss its chunk.
const VERSION = 'pave-shell-dev';
const PRECACHE = [];
// Not versioned with the shell: a new build must not forget the map a resident last saw.
const MAP_CACHE = 'pave-map-last-seen';
// About a day of browsing the map: the oldest answers go first beyond it.
const MAP_CACHE_MAX_ENTRIES = 400;
const SHELL = ['/', '/favicon.svg', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      .then((cache) => cache.addAll([...SHELL, ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key !== VERSION && key !== MAP_CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/tiles/reports/') || url.pathname === '/api/map/reports') {
    event.respondWith(networkThenLastSeen(request, url));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(VERSION).then((cache) => cache.put('/', copy));
          }
          return response;
        })
        .catch(() => caches.match('/').then((shell) => shell || Response.error())),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(VERSION).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});

/** The map's key for a request: its URL without `v`, the data version that only busts HTTP caches. */
function lastSeenKey(url) {
  const key = new URL(url);
  key.searchParams.delete('v');
  return key.toString();
}

/** The live answer, a copy kept for later; the kept copy when the network fails. */
async function networkThenLastSeen(request, url) {
  const key = lastSeenKey(url);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      void caches.open(MAP_CACHE).then(async (cache) => {
        await cache.put(key, copy);
        const keys = await cache.keys();
        // Cache keys come back in insertion order: the oldest first.
        await Promise.all(keys.slice(0, Math.max(0, keys.length - MAP_CACHE_MAX_ENTRIES)).map((k) => cache.delete(k)));
      });
    }
    return response;
  } catch (error) {
    const cache = await caches.open(MAP_CACHE);
    const kept = (await cache.match(key)) || (await findCovering(cache, new URL(key)));
    if (kept) return kept;
    throw error;
  }
}

/**
 * For the markers' GeoJSON, whose bbox follows the screen (an offline banner alone moves it): the newest
 * kept answer with the same filters whose bbox holds the centre of the one asked for.
 */
async function findCovering(cache, wanted) {
  if (wanted.pathname !== '/api/map/reports') return undefined;
  const bboxOf = (url) => (url.searchParams.get('bbox') || '').split(',').map(Number);
  const filtersOf = (url) => {
    const params = new URLSearchParams(url.search);
    params.delete('bbox');
    params.sort();
    return params.toString();
  };
  const [minLon, minLat, maxLon, maxLat] = bboxOf(wanted);
  const lon = (minLon + maxLon) / 2;
  const lat = (minLat + maxLat) / 2;
  const keys = await cache.keys();
  for (const request of keys.reverse()) {
    const url = new URL(request.url);
    if (url.pathname !== wanted.pathname || filtersOf(url) !== filtersOf(wanted)) continue;
    const [west, south, east, north] = bboxOf(url);
    if (lon >= west && lon <= east && lat >= south && lat <= north) return cache.match(request);
  }
  return undefined;
}
