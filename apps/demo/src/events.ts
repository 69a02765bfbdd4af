import type { FintokenEvent } from '@fintoken/core';
import type { Logger } from './logger.js';

/** A server-side token event as the page sees it: no cache key (it names the client), no token. */
export interface PublicEvent {
  time: number;
  source: 'server';
  provider: string;
  type: string;
  /** Which token: the client/partner token (server only) or a business-scoped one; unknown without a key. */
  token?: 'client' | 'business';
  businessId?: string;
  reason?: string;
  durationMs?: number;
  attempt?: number;
  delayMs?: number;
  /** Time left on the token, so the page need not trust its clock against ours. */
  expiresInMs?: number;
  /** The error's stable code and HTTP status; never its message (it may quote the provider). */
  error?: string;
  status?: number;
}

export type Subscriber = (event: PublicEvent) => void;

export interface EventHub {
  /** The `onEvent` given to every provider client. */
  listener: (event: FintokenEvent) => void;
  subscribe(subscriber: Subscriber): () => void;
  readonly size: number;
}

// Cache keys look like `layer:sandbox:<client id>:b=<business id>:...` (core's buildCacheKey).
function businessOf(event: FintokenEvent): string | undefined {
  if (event.businessId !== undefined) return event.businessId;
  const match = /:b=([^:]*)/.exec(event.key ?? '');
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

export function toPublicEvent(event: FintokenEvent, now: number): PublicEvent {
  const businessId = businessOf(event);
  const status = (event.error as { status?: unknown } | undefined)?.status;
  return {
    time: now,
    source: 'server',
    provider: event.provider ?? 'unknown',
    type: event.type,
    ...(event.key === undefined && businessId === undefined ? {} : { token: businessId === undefined ? 'client' : 'business' }),
    ...(businessId === undefined ? {} : { businessId }),
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    ...(event.durationMs === undefined ? {} : { durationMs: Math.round(event.durationMs) }),
    ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
    ...(event.delayMs === undefined ? {} : { delayMs: Math.round(event.delayMs) }),
    ...(event.expiresAt === undefined ? {} : { expiresInMs: Math.max(0, event.expiresAt - now) }),
    ...(event.error === undefined ? {} : { error: event.error.code }),
    ...(typeof status === 'number' ? { status } : {}),
  };
}

/**
 * Fans the clients' events out to the console (JSON lines) and to the pages watching over
 * Server-Sent Events. Core's events carry no secret or token; we still pick fields one by one.
 */
export function createEventHub(logger: Logger, now: () => number = Date.now): EventHub {
  const subscribers = new Set<Subscriber>();
  return {
    listener(event) {
      const at = now();
      const pub = toPublicEvent(event, at);
      logger.log({
        provider: pub.provider,
        type: pub.type,
        key: event.key,
        durationMs: pub.durationMs,
        reason: pub.reason,
        attempt: pub.attempt,
        delayMs: pub.delayMs,
        error: pub.error,
        status: pub.status,
      });
      for (const subscriber of subscribers) subscriber(pub);
    },
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    get size() {
      return subscribers.size;
    },
  };
}
