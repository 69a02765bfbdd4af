import type { Dispatcher } from 'undici';
import type { Redactor } from './redact.js';
import type { RetryOptions } from './retry.js';
import type { Clock, EventListener, FintokenEvent } from './types.js';

/** Everything a client's upstream calls share: resolved once from the factory's options. */
export interface Transport {
  provider: string;
  timeoutMs: number;
  maxBodyBytes: number;
  dispatcher: Dispatcher | undefined;
  retry: RetryOptions | false;
  now: Clock;
  redact: Redactor;
  safetyMarginMs: number | undefined;
  emit(event: FintokenEvent): void;
}

export function createEmitter(provider: string, listener: EventListener | undefined): (event: FintokenEvent) => void {
  return (event) => {
    if (listener === undefined) return;
    event.provider = provider;
    try {
      listener(event);
    } catch {
      // A faulty listener must not break token delivery.
    }
  };
}
