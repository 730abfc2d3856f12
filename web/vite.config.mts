import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves the built files on its own port (server.ts), so the app calls /api on the same origin.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/verify': 'http://127.0.0.1:3000' } },
});
