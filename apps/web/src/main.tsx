import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './app';
import { fetchConfig } from './features/map/api/map-api';
import { initialLocale, loadMessages } from './i18n/i18n-context';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// The public map draws nothing before its configuration: ask for it while the map's code downloads
// (on a slow link that is one round trip less after Leaflet has arrived).
if (window.location.pathname === '/') void fetchConfig().catch(() => undefined);

// A reader of English waits for its messages (one small file) rather than seeing French first;
// if they cannot come, the page opens in French.
void loadMessages(initialLocale()).then(render, render);

// The app shell works offline once installed (public/sw.js). Production only: in development the
// service worker would serve stale modules over Vite's.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app works as a plain website.
    });
  });
}
