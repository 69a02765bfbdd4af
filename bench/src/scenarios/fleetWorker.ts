// Child-process entry for scenario 6: one instance of a fleet. Per round the parent sends
// `prepare` (a new Layer1 client: with the shared Redis store or without), then `go` to every
// instance at once; this instance fires its callers concurrently and reports back.
import { createHash } from 'node:crypto';
import type { FintokenEvent } from '@fintoken/core';
import { createLayer1Client, type Layer1Client } from '@fintoken/layer1';
import { createRedisStore, type RedisStore } from '@fintoken/redis';
import { Redis } from 'ioredis';

export interface PrepareMessage {
  type: 'prepare';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  redisUrl: string;
  prefix: string;
  shared: boolean;
  callers: number;
  /** Store options, for the lifecycle rows (default: the library's). */
  operationTimeoutMs?: number;
  lockLeaseMs?: number;
}

/** `exitAfter`: quit the store and exit right after answering, as an instance leaving in a deploy does. */
export type ParentMessage = PrepareMessage | { type: 'go'; exitAfter?: boolean } | { type: 'exit' };

export type WorkerMessage =
  | { type: 'hello' }
  | { type: 'ready' }
  | { type: 'done'; errors: number; tokens: string[]; errorSample?: string }
  | { type: 'failed'; message: string }
  /** Unsolicited: this instance found the refresh lock taken and waits for the holder's token. */
  | { type: 'waiting' };

let client: Layer1Client | undefined;
let callers = 0;
let cleanup: () => Promise<void> = async () => {};

const send = (message: WorkerMessage) => process.send?.(message);

async function prepare(m: PrepareMessage): Promise<void> {
  await cleanup();
  let store: RedisStore | undefined;
  let redis: Redis | undefined;
  if (m.shared) {
    redis = new Redis(m.redisUrl, { maxRetriesPerRequest: 1 });
    // The lifecycle rows kill Redis on purpose; an 'error' without a listener would crash us.
    redis.on('error', () => undefined);
    await redis.ping();
    const timing = { ...(m.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: m.operationTimeoutMs }), ...(m.lockLeaseMs === undefined ? {} : { lockLeaseMs: m.lockLeaseMs }) };
    store = createRedisStore({ client: redis, prefix: m.prefix, ...timing });
  }
  const onEvent = (e: FintokenEvent) => {
    if (e.type === 'store.wait') send({ type: 'waiting' });
  };
  client = createLayer1Client({ clientId: m.clientId, clientSecret: m.clientSecret, tokenUrl: m.tokenUrl, onEvent, ...(store === undefined ? {} : { store }) });
  callers = m.callers;
  cleanup = async () => {
    await store?.quit();
    await redis?.quit();
  };
}

async function go(): Promise<WorkerMessage> {
  if (client === undefined) throw new Error('go before prepare');
  const instance = client;
  const settled = await Promise.allSettled(Array.from({ length: callers }, () => instance.getToken()));
  const tokens = new Set<string>();
  let errors = 0;
  let errorSample: string | undefined;
  for (const s of settled) {
    if (s.status === 'fulfilled') {
      // A digest, not the token: the parent only counts distinct tokens across the fleet.
      tokens.add(createHash('sha256').update(s.value.accessToken).digest('hex').slice(0, 16));
    } else {
      errors += 1;
      errorSample ??= String((s.reason as Error)?.message ?? s.reason).slice(0, 200);
    }
  }
  return { type: 'done', errors, tokens: [...tokens], ...(errorSample === undefined ? {} : { errorSample }) };
}

process.on('message', (message: ParentMessage) => {
  const work =
    message.type === 'prepare'
      ? prepare(message).then(() => send({ type: 'ready' }))
      : message.type === 'go'
        ? go().then(async (done) => {
            send(done);
            if (message.exitAfter === true) await cleanup().then(() => process.exit(0));
          })
        : cleanup().then(() => process.exit(0));
  work.catch((error: unknown) => send({ type: 'failed', message: String((error as Error)?.message ?? error) }));
});
process.on('disconnect', () => {
  void cleanup().finally(() => process.exit(0));
});
send({ type: 'hello' });
