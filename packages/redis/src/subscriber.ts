import type { Subscriber } from './driver.js';

/** One SUBSCRIBE per channel, retried after a failure. */
export function idempotentSubscriber(subscribe: (channel: string) => Promise<unknown>, close: () => Promise<void>): Subscriber {
  const pending = new Map<string, Promise<void>>();
  return {
    subscribe(channel) {
      let p = pending.get(channel);
      if (p === undefined) {
        p = subscribe(channel).then(() => undefined);
        pending.set(channel, p);
        p.catch(() => pending.delete(channel));
      }
      return p;
    },
    close: async () => {
      pending.clear();
      await close();
    },
  };
}
