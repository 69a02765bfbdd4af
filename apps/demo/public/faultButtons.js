// The sandbox fault buttons every card has: clear, or inject a fault and show its effect (a token
// refresh for token-endpoint faults, an API call for the others).
import { api } from './api.js';

export function bindFaultButtons({ view, run, provider, timeline, inject, refresh, call }) {
  view.on('[data-fault]', (button) => run(async () => {
    const kind = button.dataset.fault;
    if (kind === 'clear') {
      await api.clearFaults(provider);
      timeline.add({ source: 'page', provider, type: 'faults cleared', tone: 'info' });
      return;
    }
    await inject(kind);
    if (kind === 'burst503' || kind === 'rateLimit429') await refresh();
    else await call();
  }));
}
