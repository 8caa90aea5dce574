import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { fileURLToPath } from 'node:url';

// The Store Manager's React UI. One build serves both hosts: Electron loads it from its
// app:// protocol and the web host serves it over HTTP, so asset URLs must be relative ('./').
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  // Tailwind CSS 4 reads renderer/styles.css (@import 'tailwindcss' + the design tokens in @theme).
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Recharts is only needed on the KPI screen, which is loaded on demand (React.lazy).
    chunkSizeWarningLimit: 600,
  },
});
