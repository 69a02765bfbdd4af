// The demo page: sign-in, one card per provider, and the timeline. Plain ES modules, no build step;
// @fintoken/fetch and @fintoken/core/cache come from the import map in index.html.
import { api } from './api.js';
import { businessCard } from './businessCard.js';
import { createCardView } from './card.js';
import { serverCard } from './serverCard.js';
import { createTimeline } from './timeline.js';

const $ = (id) => document.getElementById(id);

function describeModes(providers) {
  const live = providers.filter((p) => p.mode === 'live').map((p) => p.name);
  if (live.length === 0) return 'All providers on the embedded sandbox';
  if (live.length === providers.length) return 'All providers live';
  return `Live: ${live.join(', ')} · the rest on the sandbox`;
}

function renderSignIn(session) {
  const template = $('user-template');
  const list = $('users');
  const names = { layer: 'Layer', thredfi: 'Thredfi', asset: 'Asset' };
  for (const user of session.users) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.signin = user.name;
    card.querySelector('.avatar').textContent = user.name.slice(0, 1);
    card.querySelector('.user-name').textContent = user.name;
    const dl = card.querySelector('.user-businesses');
    for (const [provider, ids] of Object.entries(user.businesses)) {
      const dt = document.createElement('dt');
      dt.textContent = names[provider] ?? provider;
      const dd = document.createElement('dd');
      dd.textContent = ids.length ? ids.map((id) => (id.length > 18 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id)).join(', ') : '—';
      dl.append(dt, dd);
    }
    card.addEventListener('click', async () => {
      const result = await api.signIn(user.name);
      if (result.ok) location.reload();
    });
    list.append(card);
  }
  $('signin').hidden = false;
}

function renderAccount(session) {
  $('account').hidden = false;
  $('avatar').textContent = session.user.slice(0, 1);
  $('username').textContent = session.user;
  const others = session.users.map((u) => u.name).filter((name) => name !== session.user);
  const next = others[0];
  $('switch-user').hidden = next === undefined;
  if (next !== undefined) {
    $('switch-user').textContent = `Switch to ${next}`;
    $('switch-user').addEventListener('click', async () => {
      await api.signIn(next);
      location.reload();
    });
  }
  $('sign-out').addEventListener('click', async () => {
    await api.signOut();
    location.reload();
  });
}

function renderWorkspace(session) {
  const timeline = createTimeline({ list: $('events'), empty: $('events-empty'), showHits: $('show-hits'), clearButton: $('clear-timeline') });
  const template = $('card-template');
  const controllers = new Map();
  for (const info of session.providers) {
    const view = createCardView(template, info);
    $('cards').append(view.root);
    const controller = info.businessTokens ? businessCard({ info, view, timeline }) : serverCard({ info, view, timeline });
    controllers.set(info.id, controller);
  }
  setInterval(() => controllers.forEach((c) => c.tick()), 1000);

  // The server's token events (client tokens and this user's business tokens), as they happen.
  const events = new EventSource('/api/events');
  events.addEventListener('ready', () => document.body.dataset.events = 'ready');
  events.addEventListener('token', (message) => {
    const event = JSON.parse(message.data);
    timeline.addEvent('server', event.provider, event);
    controllers.get(event.provider)?.serverEvent(event);
  });
  $('workspace').hidden = false;
}

const { data: session } = await api.session();
$('mode').textContent = describeModes(session.providers);
// The React sample (apps/layer-react), started alongside on the same sandbox: Layer's own components fed by useBusinessToken.
if (session.layerReact) Object.assign($('layer-react'), { href: session.layerReact, hidden: false });
if (session.user) {
  renderAccount(session);
  renderWorkspace(session);
} else {
  renderSignIn(session);
}
document.body.dataset.ready = 'true';
