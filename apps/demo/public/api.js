// The demo server's own JSON API (same origin, session cookie).

async function call(method, url, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { status: response.status, ok: response.ok, data, ms: Math.round(performance.now() - started) };
}

export const api = {
  session: () => call('GET', '/api/session'),
  signIn: (user) => call('POST', '/api/session', { user }),
  signOut: () => call('DELETE', '/api/session'),
  fault: (provider, kind) => call('POST', `/api/${provider}/faults`, { kind }),
  clearFaults: (provider) => call('DELETE', `/api/${provider}/faults`),
  serverCall: (provider, businessId) =>
    call('GET', `/api/${provider}/server-call${businessId === undefined ? '' : `?business_id=${encodeURIComponent(businessId)}`}`),
  serverRefresh: (provider) => call('POST', `/api/${provider}/server-refresh`),
  /** A token request for a business of our choosing: the server's authorize hook decides. */
  tokenFor: (provider, businessId) => call('POST', `/api/${provider}/token`, { business_id: businessId }),
};
