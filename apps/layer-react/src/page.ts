/** What the page needs to know, server-side: never a secret, never a token. */
export interface PageConfig {
  businessId: string;
  /** Where the browser asks for its business token (this app's businessTokenHandler). */
  tokenUrl: string;
  /** LayerProvider's environmentConfigOverride: Layer's API, here the sandbox's. */
  layer: { environment: 'sandbox'; apiUrl: string; authUrl: string; scope: string };
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
<link rel="stylesheet" href="/assets/app.css">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1a1a1a; }
  header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #e3e5e8; }
  header h1 { font-size: 18px; margin: 0 0 4px; }
  main { padding: 16px 24px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
  .token { background: #fff; border: 1px solid #e3e5e8; border-radius: 8px; padding: 12px 16px; display: flex; flex-wrap: wrap; gap: 8px 24px; font-size: 14px; }
  .token b { font-variant-numeric: tabular-nums; }
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
