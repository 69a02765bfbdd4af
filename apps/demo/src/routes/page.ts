import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { distOf, publicDir } from '../paths.js';

/**
 * The page: `public/` as plain ES modules, and the two fintoken packages it imports (mapped by the
 * import map in index.html) served from their built dist folders under `/vendor`.
 */
export function pageRoutes(): Router {
  const router = express.Router();
  const html = readFileSync(join(publicDir, 'index.html'), 'utf8');
  // The import map is the page's one inline script; allow exactly it by hash (CSP Level 3).
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(importMap).digest('base64');
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  router.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  });
  router.get(['/', '/index.html'], (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(html);
  });
  const statics = { index: false, fallthrough: true, maxAge: 0 };
  router.use('/vendor/fetch', express.static(distOf('@fintoken/fetch'), statics));
  router.use('/vendor/core', express.static(distOf('@fintoken/core'), statics));
  router.use(express.static(publicDir, statics));
  return router;
}
