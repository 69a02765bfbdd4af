// Tokens that never reach the page: Layer1's (it has no business-scoped tokens) and Thredfi's
// business tokens (they live ~24 h and Thredfi's docs say never to expose them client-side). This
// card shows only what the server says about its token (time left, events); every API call goes
// through the demo server, whose client attaches the token and refreshes it on a 401.
import { api } from './api.js';
import { createServerCounts } from './serverCounts.js';
import { bindFaultButtons } from './faultButtons.js';

export function serverCard({ info, view, timeline }) {
  const provider = info.id;
  const server = createServerCounts(view);

  function showMeta(meta) {
    if (meta?.expiresInMs === undefined) return;
    const now = Date.now();
    view.setToken(now + meta.expiresInMs, undefined, 'on server');
  }

  async function run(work) {
    view.setBusy(true);
    try {
      await work();
    } catch (error) {
      view.setState('error', 'error');
      timeline.add({ source: 'page', provider, type: 'error', tone: 'error', detail: error?.message ?? String(error) });
    } finally {
      view.setBusy(false);
      if (view.root.dataset.state === 'busy') view.setState('idle');
    }
  }

  async function serverCall() {
    const result = await api.serverCall(provider);
    const status = result.data?.status ?? result.status;
    view.setLastCall({ status, path: `server → ${result.data?.path ?? provider}`, note: `${result.ms} ms` });
    timeline.add({ source: 'page', provider, type: `server call ${status}`, status, detail: `${result.data?.path ?? ''} · ${result.ms} ms` });
    if (result.ok) showMeta(result.data.token);
    view.setState(result.ok && status < 300 ? 'ok' : 'error', result.ok ? undefined : `error ${result.status}`);
  }

  async function refresh() {
    const result = await api.serverRefresh(provider);
    timeline.add({ source: 'page', provider, type: `server refresh ${result.status}`, status: result.status, detail: `${result.ms} ms` });
    if (result.ok) showMeta(result.data.token);
    view.setState(result.ok ? 'ok' : 'error', result.ok ? undefined : `error ${result.status}`);
  }

  async function inject(kind) {
    const result = await api.fault(provider, kind);
    timeline.add({ source: 'page', provider, type: 'fault', detail: result.ok ? `sandbox: ${result.data.label} (${result.data.endpoint})` : `refused: ${result.status}` });
    if (!result.ok) throw new Error(`fault not injected (${result.status})`);
  }

  // Buttons: "Get token" becomes a server-side refresh; "Call API" is the server call.
  view.button('token').textContent = 'Refresh on server';
  view.button('server').hidden = true;
  view.button('call').textContent = 'Server call';
  view.button('call').classList.add('primary');
  view.button('token').classList.remove('primary');
  view.button('token').before(view.button('call'));
  view.setClaimsPlaceholder(
    'Server-side token',
    provider === 'thredfi'
      ? "Thredfi's business token never leaves the server: Thredfi's docs say to store it securely and never expose it in client-side code. The card calls the API through the demo server, which uses the client's fetch."
      : 'The Layer1 token never leaves the server. This card shows what the server reports: time left and its events.',
  );
  if (info.businessTokens === false && info.businessId === undefined && provider !== 'layer1') {
    for (const action of ['token', 'call', 'force401']) view.button(action).disabled = true;
  }

  view.on('[data-action="token"]', () => run(refresh));
  view.on('[data-action="call"]', () => run(serverCall));
  view.on('[data-action="force401"]', () => run(async () => {
    await inject('unauthorized');
    await serverCall();
  }));
  view.on('[data-action="other"]', () => run(async () => {
    const result = await api.serverCall(provider, info.otherBusinessId);
    timeline.add({ source: 'page', provider, type: `server call ${result.status}`, status: result.status, detail: `asked for someone else's business ${info.otherBusinessId}` });
    view.setLastCall({ status: result.status, path: `server → ${provider}`, note: result.status === 403 ? 'the server refused it' : '' });
  }));
  bindFaultButtons({ view, run, provider, timeline, inject, refresh: refresh, call: serverCall });

  return {
    tick: () => view.tick(),
    serverEvent(event) {
      server.add(event);
      // For Layer1 the server's counts are the card's counts.
      view.setCounts({ fetched: server.counts.fetched, refreshed: server.counts.refreshed });
      if ((event.type === 'token.fetched' || event.type === 'token.refreshed') && event.expiresInMs !== undefined) {
        view.setToken(Date.now() + event.expiresInMs, undefined, 'on server');
      }
    },
  };
}
