/**
 * The web UI (web/, built into web/dist by `npm run build:web`) on the API's own port: the built
 * files, and index.html for the bare address. Without a build the API still runs, and the bare
 * address says how to make one.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

export const WEB_DIST = resolve(__dirname, '..', 'web', 'dist');

export function webRouter(dist = WEB_DIST): Router {
  const router = express.Router();
  const index = join(dist, 'index.html');
  router.use(express.static(dist, { index: false, maxAge: '1h' }));
  router.get('/', (_req, res) => {
    if (existsSync(index)) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
    else res.status(503).type('text/plain; charset=utf-8').send('Giao diện web chưa được build: chạy `npm run build:web` (npm start tự làm việc này).\nThe web UI is not built: run `npm run build:web`.');
  });
  return router;
}
