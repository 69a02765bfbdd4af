/** What the page needs to know, server-side: never a secret, never a token. */
export interface PageConfig {
  businessId: string;
  /** Where the browser asks for its business token (this app's businessTokenHandler). */
  tokenUrl: string;
  /** LayerProvider's environmentConfigOverride: Layer's API, here the sandbox's. */
  layer: { environment: 'sandbox'; apiUrl: string; authUrl: string; scope: string };
  /** The demo this sample was started from (apps/demo), for a link back. */
  demoUrl?: string;
}

// JSON inside <script> must not close the element: escape "<" (and the JS line separators).
const inlineJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function renderPage(config: PageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fintoken + Layer's React components</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<style>
  /* Layer's components size their boxes as border-box (their header pads a 100%-wide row): without
     this reset, "Add Account" and the search field run past the card's right edge. */
  *, *::before, *::after { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; margin: 0; background: #f4f6f9; color: #111827; }
  .topbar { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 12px 24px; background: #fff; border-bottom: 1px solid #e3e7ee; }
  .brand { display: flex; align-items: center; gap: 12px; }
  .brand h1 { font-size: 17px; letter-spacing: -0.01em; margin: 0; }
  .brand p { margin: 0; color: #6b7280; font-size: 13px; max-width: 72ch; }
  .logo { display: grid; place-items: center; flex: none; width: 34px; height: 34px; border-radius: 9px; background: linear-gradient(135deg, #4f46e5, #0d9488); color: #fff; font: 700 14px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .pill { flex: none; padding: 3px 10px; border-radius: 999px; background: #f8fafc; border: 1px solid #e3e7ee; font-size: 12px; color: #6b7280; text-decoration: none; }
  .pill:hover { color: #111827; border-color: #cbd2dc; }
  main { padding: 16px 24px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
  .token { background: #fff; border: 1px solid #e3e7ee; border-radius: 12px; padding: 12px 16px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; font-size: 14px; }
  .token b { font-variant-numeric: tabular-nums; }
  /* The demo's buttons (apps/demo/public/styles.css), for this page's own button only. */
  .token button { margin-left: auto; font: inherit; font-size: 13px; padding: 6px 12px; border-radius: 8px; border: 1px solid #111827; background: #111827; color: #fff; cursor: pointer; }
  .token button:hover { background: #374151; }
  .token button:focus-visible { outline: 2px solid #4f46e5; outline-offset: 2px; }
</style>
</head>
<body>
<div id="root"></div>
<script id="config" type="application/json">${inlineJson(config)}</script>
<script type="module" src="/assets/app.js"></script>
</body>
</html>
`;
}
