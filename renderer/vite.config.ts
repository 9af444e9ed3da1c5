import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  resolve: {
    alias: { $api: fileURLToPath(new URL('../electron/api', import.meta.url)) },
  },
  define: {
    // `npm run dev:web` sets it: the page reloads itself after each rebuild.
    __FIELDKIT_LIVE_RELOAD__: JSON.stringify(process.env.FIELDKIT_LIVE_RELOAD === '1'),
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: process.env.FIELDKIT_LIVE_RELOAD === '1',
    target: 'es2022',
  },
});
