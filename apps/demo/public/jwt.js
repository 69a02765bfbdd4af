// Decode a JWT's header and payload in the page, for display only: the signature is not checked
// (the API does that) and the token is never sent anywhere to be decoded.

function base64UrlJson(segment) {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '==='.slice((base64.length + 3) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** `{ header, payload }` of a compact JWS, or undefined for an opaque token. */
export function decodeJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return { header: base64UrlJson(parts[0]), payload: base64UrlJson(parts[1]) };
  } catch {
    return undefined;
  }
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function span(cls, text) {
  const el = document.createElement('span');
  el.className = cls;
  el.textContent = text;
  return el;
}

/** Render claims as coloured JSON, with times spelled out, using text nodes only (no innerHTML). */
export function renderClaims(pre, claims) {
  pre.classList.remove('placeholder');
  pre.replaceChildren();
  const entries = Object.entries(claims);
  pre.append('{\n');
  entries.forEach(([key, value], i) => {
    pre.append('  ', span('k', JSON.stringify(key)), ': ');
    pre.append(span(typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'v', JSON.stringify(value)));
    if (i < entries.length - 1) pre.append(',');
    if (TIME_CLAIMS.has(key) && typeof value === 'number') {
      pre.append(span('c', `  // ${new Date(value * 1000).toLocaleTimeString()}`));
    }
    pre.append('\n');
  });
  pre.append('}');
}

export function renderPlaceholder(pre, text) {
  pre.classList.add('placeholder');
  pre.textContent = text;
}
