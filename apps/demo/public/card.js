// One provider card: rendering only. The controllers (businessCard.js, serverCard.js) decide what
// it shows.
import { renderClaims, renderPlaceholder } from './jwt.js';

const short = (id) => (id && id.length > 22 ? `${id.slice(0, 13)}…${id.slice(-6)}` : id);

// Seconds, counting down; whole minutes past 1,000 s so the tile never truncates.
const toneOf = (label) => (label === 'valid' || label === 'on server' ? 'ok' : label === 'none yet' ? 'idle' : label === 'expired' ? 'warn' : 'error');

const formatSeconds = (s) => (s < 1000 ? `${s} s` : `${Math.floor(s / 60)} min`);

export function createCardView(template, info) {
  const root = template.content.firstElementChild.cloneNode(true);
  const $ = (selector) => root.querySelector(selector);
  root.dataset.provider = info.id;
  $('.provider-name').textContent = info.name;
  $('.kind').textContent = info.businessTokens ? 'business token in the page' : 'server-side token only';
  const mode = $('.mode');
  mode.textContent = info.mode === 'live' ? 'live API' : 'sandbox';
  mode.classList.add(`mode-${info.mode}`);

  const business = $('.business-id');
  // Layer1 has no businesses; Thredfi's business token stays on the server but is still per business.
  business.textContent = info.id === 'layer1' ? 'none: client token' : (short(info.businessId) ?? 'none for this user');
  business.title = info.businessId ?? '';
  $('.try-other').hidden = !info.otherBusinessId;
  if (info.otherBusinessId) $('.try-other').title = `Ask for ${info.otherBusinessId}: the server should refuse (403)`;
  if (!info.faults) {
    for (const button of root.querySelectorAll('[data-fault]')) {
      button.disabled = true;
      button.title = 'Faults need the sandbox; this provider is live';
    }
    $('[data-action="force401"]').disabled = true;
  }

  let token; // { expiresAt, lifetimeMs } on the local clock
  let stateText = 'none yet';
  const stateEl = $('.state-text');
  const expires = $('.expires');
  const bar = $('.bar i');

  const view = {
    root,
    /** Run `handler` on clicks of [data-action=name] / [data-fault=name]. */
    on(selector, handler) {
      for (const el of root.querySelectorAll(selector)) el.addEventListener('click', () => handler(el));
    },
    button: (action) => $(`[data-action="${action}"]`),
    setBusy(busy) {
      root.classList.toggle('is-busy', busy);
      for (const button of root.querySelectorAll('.actions button, .chaos button, .try-other')) {
        if (busy) {
          button.dataset.wasDisabled = String(button.disabled);
          button.disabled = true;
        } else if (button.dataset.wasDisabled !== undefined) {
          button.disabled = button.dataset.wasDisabled === 'true';
          delete button.dataset.wasDisabled;
        }
      }
      if (busy) root.dataset.state = 'busy';
    },
    /** 'idle' | 'ok' | 'busy' | 'error': the dot and the token label's colour. */
    // The dot is the last operation's outcome; the token label is coloured by the token's own state.
    setState(state, text) {
      root.dataset.state = state;
      if (text !== undefined) {
        stateText = text;
        stateEl.textContent = text;
        stateEl.dataset.tone = toneOf(text);
      }
    },
    setToken(expiresAt, issuedAt, label = 'valid') {
      token = { expiresAt, lifetimeMs: Math.max(1, expiresAt - (issuedAt ?? Date.now())) };
      $('.issued').textContent = issuedAt === undefined ? '' : `issued ${new Date(issuedAt).toLocaleTimeString([], { hour12: false })}`;
      view.setState('ok', label);
      view.tick();
    },
    tick() {
      if (!token) return;
      const leftMs = token.expiresAt - Date.now();
      const left = Math.max(0, Math.round(leftMs / 1000));
      expires.textContent = formatSeconds(left);
      const ratio = Math.max(0, Math.min(1, leftMs / token.lifetimeMs));
      bar.style.width = `${(ratio * 100).toFixed(1)}%`;
      bar.classList.toggle('low', ratio < 0.5 && ratio >= 0.2);
      bar.classList.toggle('critical', ratio < 0.2);
      if (left === 0 && (stateText === 'valid' || stateText === 'on server')) view.setState('idle', 'expired');
    },
    setCounts({ fetched, refreshed }) {
      $('.fetched').textContent = String(fetched);
      $('.refreshed').textContent = String(refreshed);
    },
    setClaims(decoded, note) {
      $('.claims-note').textContent = note ?? '';
      if (decoded) renderClaims($('.claims-body'), decoded.payload);
    },
    setClaimsPlaceholder(title, text) {
      $('.claims-title').textContent = title;
      renderPlaceholder($('.claims-body'), text);
    },
    /** status: HTTP status; path: what was called; note: e.g. "401 → 200". */
    setLastCall({ status, path, note }) {
      const box = $('.last-call');
      box.hidden = false;
      const code = $('.code');
      code.textContent = String(status);
      code.className = `code${status >= 200 && status < 300 ? '' : status === 401 || status === 429 ? ' warn' : ' error'}`;
      $('.call-path').textContent = path;
      $('.call-path').title = path;
      $('.call-note').textContent = note ?? '';
      box.dataset.status = String(status);
    },
    setServerLine(parts) {
      const line = $('.server-line');
      line.replaceChildren('Server: ');
      parts.forEach(([label, value], i) => {
        if (i > 0) line.append(' · ');
        const b = document.createElement('b');
        b.textContent = String(value);
        line.append(b, ` ${label}`);
      });
    },
  };
  return view;
}
