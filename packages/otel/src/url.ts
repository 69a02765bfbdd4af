/** What a span may say about the endpoint: a template of its URL, never a business id or a credential. */
export interface EndpointTarget {
  /** Origin plus templated path, e.g. `https://api.layerfi.com/v1/businesses/{businessId}/auth-token`. */
  full: string;
  /** The templated path (semantic conventions' `url.template`). */
  template: string;
  address: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Core reports the URL without user info, query or fragment; Layer and Thredfi still put the
 * business id in the path (`/v1/businesses/{id}/auth-token`, `/v1/platform/{id}/oauth2/token/`),
 * so the segment naming the business becomes `{businessId}`: a bounded, non-identifying value.
 */
export function endpointTarget(raw: string, businessId: string | undefined): EndpointTarget | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const wanted = businessId?.toLowerCase();
  const template = url.pathname
    .split('/')
    .map((segment) => (wanted !== undefined && segment !== '' && decodeSegment(segment).toLowerCase() === wanted ? '{businessId}' : segment))
    .join('/');
  return {
    full: `${url.protocol}//${url.host}${template}`,
    template,
    address: url.hostname,
    port: url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
