// A provider with business-scoped tokens (Layer, Thredfi, Asset): the page holds the token.
// @fintoken/fetch gets it from the demo server's token endpoint, attaches it to API calls,
// refreshes it ahead of expiry, and on a 401 refreshes once and retries once.
import { createAuthFetch } from '@fintoken/fetch';
import { api } from './api.js';
import { decodeJwt } from './jwt.js';
import { createServerCounts } from './serverCounts.js';
import { bindFaultButtons } from './faultButtons.js';


export function businessCard({ info, view, timeline }) {
  const provider = info.id;
  const tokenUrl = `/api/${provider}/token`;
  const counts = { fetched: 0, refreshed: 0 };
  const server = createServerCounts(view);
  let current; // the page's current token (a core Token: accessToken, expiresAt, issuedAt)
  let attempts = []; // statuses of the API requests behind one authFetch call
  let quiet = 0; // cache hits caused by this card reading its own token are not news

  // The fetch @fintoken/fetch wraps. It adds the page's business id to token requests. After a 401,
  // @fintoken/fetch itself adds the refused token's fingerprint (x-fintoken-rejected), so the
  // server's cache mints a new one instead of handing back the token the API just refused.
  async function baseFetch(input, init = {}) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === tokenUrl) {
      const body = { business_id: info.businessId };
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/json');
      return fetch(input, { ...init, headers, body: JSON.stringify(body) });
    }
    const started = performance.now();
    const response = await fetch(input, init);
    const ms = Math.round(performance.now() - started);
    attempts.push(response.status);
    timeline.add({ source: 'page', provider, type: `API ${response.status}`, status: response.status, detail: `GET ${info.apiPath.replace(`/proxy/${provider}`, '')} · ${ms} ms` });
    return response;
  }

  function showToken() {
    quiet++;
    const pending = authFetch.token();
    quiet--;
    pending.then(
      (token) => {
        current = token;
        view.setToken(token.expiresAt, token.issuedAt);
        const decoded = decodeJwt(token.accessToken);
        view.setClaims(decoded, decoded ? `${decoded.header.alg ?? ''} · signature not shown` : 'opaque token');
      },
      () => undefined,
    );
  }

  const authFetch = createAuthFetch({
    tokenUrl,
    fetch: baseFetch,
    refreshAheadMs: 20_000,
    onEvent(event) {
      if (event.type === 'cache.hit' && quiet > 0) return;
      timeline.addEvent('page', provider, event);
      if (event.type === 'token.fetched') counts.fetched++;
      if (event.type === 'token.refreshed') counts.refreshed++;
      if (event.type === 'token.fetched' || event.type === 'token.refreshed') {
        view.setCounts(counts);
        queueMicrotask(showToken);
      }
      if (event.type === 'token.failed') view.setState('error', event.error?.status ? `refused ${event.error.status}` : 'failed');
    },
  });

  /** Run one button's work with the card marked busy; errors end up on the card, not the console. */
  async function run(work) {
    view.setBusy(true);
    try {
      await work();
    } catch (error) {
      view.setState('error', error?.status ? `error ${error.status}` : 'error');
      timeline.add({ source: 'page', provider, type: 'error', tone: 'error', detail: error?.code ?? error?.message ?? String(error) });
    } finally {
      view.setBusy(false);
      if (view.root.dataset.state === 'busy') view.setState(current && current.expiresAt > Date.now() ? 'ok' : 'idle');
    }
  }

  async function getToken() {
    await authFetch.token();
    view.setState('ok');
  }

  async function callApi() {
    attempts = [];
    const started = performance.now();
    const response = await authFetch(info.apiPath, { headers: { accept: 'application/json' } });
    await response.text();
    const ms = Math.round(performance.now() - started);
    const note = attempts.length > 1 ? `${attempts.join(' → ')} after a refresh · ${ms} ms` : `${ms} ms`;
    view.setLastCall({ status: response.status, path: info.apiPath.replace('/proxy', ''), note });
    view.setState(response.ok ? 'ok' : 'error');
  }

  async function serverCall() {
    const result = await api.serverCall(provider);
    view.setLastCall({ status: result.data?.status ?? result.status, path: `server → ${result.data?.path ?? provider}`, note: `${result.ms} ms` });
    view.setState(result.ok && result.data?.status < 300 ? 'ok' : 'error');
  }

  async function inject(kind) {
    const result = await api.fault(provider, kind);
    timeline.add({ source: 'page', provider, type: 'fault', detail: result.ok ? `sandbox: ${result.data.label} (${result.data.endpoint})` : `refused: ${result.status}` });
    if (!result.ok) throw Object.assign(new Error('fault not injected'), { status: result.status });
  }

  /** Force a new token through the whole chain: page cache, token endpoint, server cache, provider. */
  async function refreshToken() {
    await authFetch.token({ forceRefresh: true, ...(current ? { rejectedToken: current.accessToken } : {}) });
  }

  view.on('[data-action="token"]', () => run(getToken));
  view.on('[data-action="call"]', () => run(callApi));
  view.on('[data-action="server"]', () => run(serverCall));
  view.on('[data-action="force401"]', () => run(async () => {
    await inject('unauthorized');
    await callApi();
  }));
  view.on('[data-action="other"]', () => run(async () => {
    const result = await api.tokenFor(provider, info.otherBusinessId);
    timeline.add({ source: 'page', provider, type: `token ${result.status}`, status: result.status, detail: `asked for someone else's business ${info.otherBusinessId}` });
    view.setLastCall({ status: result.status, path: `POST ${tokenUrl}`, note: result.status === 403 ? 'authorize refused it' : '' });
  }));
  bindFaultButtons({ view, run, provider, timeline, inject, refresh: refreshToken, call: callApi });

  if (!info.businessId) {
    view.setClaimsPlaceholder('JWT claims', 'This user acts for no business at this provider.');
    for (const action of ['token', 'call', 'server', 'force401']) view.button(action).disabled = true;
  } else {
    view.setClaimsPlaceholder('JWT claims', 'No token yet. "Get token" asks the demo server\'s token endpoint for one.');
  }
  view.setCounts(counts);

  return {
    tick: () => view.tick(),
    serverEvent: (event) => server.add(event),
  };
}
