// The console's build: web/dist, served by the API at `/` (api/console.ts). `npm run dev -w web` serves it
// with hot reload and sends /api and /dev to an API on port 3000 (npm start).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/dev': 'http://127.0.0.1:3000' } },
});
