// RFC 9562 §4 layout (8-4-4-4-12 hex digits), any version and variant: providers document
// "a UUID" without saying which version they issue.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string in UUID layout. Used to refuse ids that could traverse a URL path. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
