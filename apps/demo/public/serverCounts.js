// The server's side of a card, from the token events it streams (SSE): how many tokens it
// fetched, refreshed, retried and failed for this provider. Never the tokens themselves.

export function createServerCounts(view) {
  const counts = { fetched: 0, refreshed: 0, retries: 0, failed: 0 };
  const render = () =>
    view.setServerLine([
      ['fetched', counts.fetched],
      ['refreshed', counts.refreshed],
      ['retries', counts.retries],
      ['failed', counts.failed],
    ]);
  render();
  return {
    counts,
    add(event) {
      if (event.type === 'token.fetched') counts.fetched++;
      else if (event.type === 'token.refreshed') counts.refreshed++;
      else if (event.type === 'retry.scheduled') counts.retries++;
      else if (event.type === 'token.failed') counts.failed++;
      else return;
      render();
    },
  };
}
