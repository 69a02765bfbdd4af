import type { RequestHandler } from 'express';

// A small SVG icon, served from memory (no file, no network): browsers ask for /favicon.ico on
// any page (the JSON of an API route, /metrics) whatever the page's <link rel="icon"> says.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f6feb"/><text x="16" y="21.5" font-family="system-ui,sans-serif" font-size="15" font-weight="700" fill="#fff" text-anchor="middle">ft</text></svg>`;

/** `GET /favicon.ico` and `/favicon.svg`: the fintoken icon (SVG), cached for a day. */
export function faviconRoute(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path !== '/favicon.ico' && req.path !== '/favicon.svg') return next();
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(ICON);
  };
}
