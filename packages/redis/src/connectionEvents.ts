import type { FintokenEvent } from '@fintoken/core';
import { errorCode, errorDetail } from './bounded.js';
import type { ConnectionEvents } from './connect.js';

// Node's TLS verification codes (`tls` docs, "X509 certificate error codes") grouped by what the
// operator has to do about them.
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

function hint(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : '';
  if (code !== undefined && UNTRUSTED.has(code)) return ": the server's TLS certificate is not signed by a CA this process trusts (give the CA as tls.ca)";
  if (code !== undefined && EXPIRED.has(code)) return ": the server's TLS certificate is expired or not yet valid";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return ": the server's TLS certificate does not name the host of the URL";
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') return ': the server did not answer in TLS (is it a rediss:// port?)';
  if (/^(WRONGPASS|NOAUTH)\b/.test(message)) return ': Redis refused the credentials';
  return '';
}

/**
 * A connection's errors as `store.error` events (`reason: 'connection'`), the same way for the
 * store's own connection and for its subscriber: one event per distinct failure, not one per
 * reconnect attempt, and again after the connection was ready in between. The event names the
 * error's class and code (`SELF_SIGNED_CERT_IN_CHAIN`, `WRONGPASS`, `ECONNREFUSED`) and what to
 * do; never its message, which may quote a host, and never the URL or its password.
 */
export function connectionReporter(emit: (event: FintokenEvent) => void): Required<ConnectionEvents> {
  let last: string | undefined;
  return {
    error(error) {
      const detail = errorDetail(error);
      if (detail === last) return;
      last = detail;
      emit({ type: 'store.error', reason: 'connection', message: `Redis connection failed (${detail})${hint(error)}` });
    },
    ready() {
      last = undefined;
    },
  };
}
