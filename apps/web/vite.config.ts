import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server forwards API and photo requests so the browser sees one origin,
// exactly as in production where the API serves the built app.
const apiUrl = process.env.PAVE_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/report-bundle-size.mjs reads it to measure what /signaler really downloads.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Leaflet in its own long-cached chunk: pages that show no map never load it.
          groups: [{ name: 'leaflet', test: /[\\/]node_modules[\\/]leaflet[\\/]/ }],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: true },
      '/media': { target: apiUrl, changeOrigin: true },
    },
  },
});
