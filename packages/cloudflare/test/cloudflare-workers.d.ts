// The one export of workerd's built-in module the test Worker uses (wrangler's types declare it).
declare module 'cloudflare:workers' {
  export function waitUntil(promise: Promise<unknown>): void;
}
