// @ts-check
// A Cloudflare Worker: bundled for workerd (esbuild with the `workerd`/`worker`/`browser`
// conditions, as wrangler does) without `nodejs_compat`, so any Node built-in in the bundle fails.
import { appEnv, createApp } from './app.mjs';

/** @type {((request: Request) => Promise<Response>) | undefined} */
let app;

export default {
  /**
   * One app per isolate: the client and its token cache live as long as the isolate does, so
   * every request to it shares one cache (the point of caching on Workers).
   * @param {Request} request
   * @param {Record<string, string>} env bindings
   */
  fetch(request, env) {
    app ??= createApp(appEnv(env));
    return app(request);
  },
};
