// The timeline: token events from the page (@fintoken/fetch's onEvent), from the server (SSE),
// and the API responses the page saw, newest first.

const MAX_ENTRIES = 300;
const names = { layer: 'Layer', thredfi: 'Thredfi', asset: 'Asset', layer1: 'Layer1' };

const short = (id) => (id && id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

function toneOf(type, status) {
  if (type === 'token.failed' || type === 'store.error') return 'error';
  if (type === 'retry.scheduled' || type === 'fault') return 'warn';
  if (type === 'token.fetched' || type === 'token.refreshed') return 'ok';
  if (status !== undefined) return status < 300 ? 'ok' : status === 401 || status === 429 ? 'warn' : 'error';
  return 'info';
}

/** "forced · 12 ms", "attempt 1 failed, retry in 180 ms", "ERR_PROVIDER 503". */
export function describeEvent(event) {
  const parts = [];
  if (event.token === 'business') parts.push(`business ${short(event.businessId)}`);
  else if (event.token === 'client') parts.push('client token');
  if (event.reason) parts.push(event.reason);
  if (event.type === 'retry.scheduled') parts.push(`attempt ${event.attempt ?? '?'} failed, retry in ${event.delayMs ?? '?'} ms`);
  else if (event.durationMs !== undefined) parts.push(`${event.durationMs} ms`);
  const code = typeof event.error === 'string' ? event.error : event.error?.code;
  const status = event.status ?? event.error?.status;
  if (code) parts.push(status ? `${code} ${status}` : code);
  return parts.join(' · ');
}

export function createTimeline({ list, empty, showHits, clearButton }) {
  const sync = () => {
    list.classList.toggle('show-hits', showHits.checked);
    const visible = [...list.children].some((li) => showHits.checked || !li.classList.contains('hit'));
    empty.hidden = visible;
  };
  showHits.addEventListener('change', sync);
  clearButton.addEventListener('click', () => {
    list.replaceChildren();
    sync();
  });

  /** entry: { source: 'page' | 'server', provider, type, detail?, status?, tone? } */
  function add(entry) {
    const li = document.createElement('li');
    const tone = entry.tone ?? toneOf(entry.type, entry.status);
    li.className = `event ${tone}`;
    li.dataset.type = entry.type;
    li.dataset.provider = entry.provider;
    li.dataset.source = entry.source;
    if (entry.type === 'cache.hit') li.classList.add('hit', 'dim');
    if (entry.type === 'cache.miss') li.classList.add('dim');

    const time = document.createElement('time');
    const at = new Date(entry.time ?? Date.now());
    time.dateTime = at.toISOString();
    time.textContent = at.toLocaleTimeString([], { hour12: false });
    const who = document.createElement('span');
    who.className = 'who';
    const source = document.createElement('span');
    source.className = `badge ${entry.source}`;
    source.textContent = entry.source;
    const provider = document.createElement('span');
    provider.className = 'badge provider';
    provider.dataset.provider = entry.provider;
    provider.textContent = names[entry.provider] ?? entry.provider;
    who.append(source, provider);
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = entry.type;
    li.append(time, who, type);
    if (entry.detail) {
      const detail = document.createElement('span');
      detail.className = 'detail';
      detail.textContent = entry.detail;
      li.append(detail);
    }
    list.prepend(li);
    while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
    sync();
  }

  /** A FintokenEvent from @fintoken/fetch (source 'page') or a server event from SSE. */
  function addEvent(source, provider, event) {
    add({ source, provider, type: event.type, time: event.time, detail: describeEvent({ ...event, source }) });
  }

  sync();
  return { add, addEvent };
}
