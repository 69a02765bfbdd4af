// Child-process entry for scenarios 6 and 13: one instance of a fleet. Per round the parent sends
// `prepare` (a new Layer1 client: with the shared Redis store or without, on one Redis or a Redis
// Cluster), then `go` to every instance at once; this instance fires its callers concurrently and
// reports back. `load` (scenario 13's failover rows) keeps callers busy for a while instead.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FintokenEvent } from '@fintoken/core';
import { createLayer1Client, type Layer1Client } from '@fintoken/layer1';
import { createRedisStore, type RedisStore } from '@fintoken/redis';
import { Cluster, Redis } from 'ioredis';

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
  /** Scenario 13: connect an ioredis `Cluster` to these nodes instead of `new Redis(redisUrl)`. */
  clusterNodes?: { host: string; port: number }[];
}

/** `concurrency` callers calling `getToken()` back to back (with `pauseMs` between calls) for `durationMs`. */
export interface LoadMessage {
  type: 'load';
  concurrency: number;
  durationMs: number;
  pauseMs: number;
}

/** `exitAfter`: quit the store and exit right after answering, as an instance leaving in a deploy does. */
export type ParentMessage = PrepareMessage | LoadMessage | { type: 'go'; exitAfter?: boolean } | { type: 'exit' };

export type WorkerMessage =
  | { type: 'hello' }
  | { type: 'ready' }
  | { type: 'done'; errors: number; tokens: string[]; errorSample?: string }
  | { type: 'failed'; message: string }
  /**
   * The answer to `load`. `expired`: tokens whose `expiresAt` had passed when `getToken()` returned
   * them; `fetches`: epoch ms at which each of this instance's token endpoint calls started.
   */
  | { type: 'loaded'; calls: number; failed: number; expired: number; fetches: number[]; storeErrors: number; errorSample?: string; expiredSample?: string }
  /** Unsolicited: this instance found the refresh lock taken and waits for the holder's token. */
  | { type: 'waiting' };

let client: Layer1Client | undefined;
let callers = 0;
let cleanup: () => Promise<void> = async () => {};
/** Start times of this instance's token endpoint calls, and its store errors, since the last `load`. */
let fetches: number[] = [];
let storeErrors = 0;
/** This instance's last few events (cache hits left out), to say where an expired token came from. */
const recent: string[] = [];

const send = (message: WorkerMessage) => process.send?.(message);

async function prepare(m: PrepareMessage): Promise<void> {
  await cleanup();
  let store: RedisStore | undefined;
  let redis: Redis | Cluster | undefined;
  if (m.shared) {
    // A Cluster as the redis package's cluster tests open it (test/fixtures/fleet-instance.mjs):
    // ioredis' defaults, the store's operation timeout bounding every call while a slot has no master.
    redis = m.clusterNodes === undefined ? new Redis(m.redisUrl, { maxRetriesPerRequest: 1 }) : new Cluster(m.clusterNodes);
    // The lifecycle and failover rows kill Redis nodes on purpose; an 'error' without a listener would crash us.
    redis.on('error', () => undefined);
    await redis.ping();
    const timing = { ...(m.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: m.operationTimeoutMs }), ...(m.lockLeaseMs === undefined ? {} : { lockLeaseMs: m.lockLeaseMs }) };
    store = createRedisStore({ client: redis, prefix: m.prefix, ...timing });
  }
  const onEvent = (e: FintokenEvent) => {
    if (e.type !== 'cache.hit' || e.reason !== undefined) {
      recent.push(`${Date.now() % 100_000} ${e.type}${e.reason === undefined ? '' : `/${e.reason}`}${e.expiresAt === undefined ? '' : ` exp ${e.expiresAt % 100_000}`}`);
      if (recent.length > 8) recent.shift();
    }
    if (e.type === 'store.wait') send({ type: 'waiting' });
    else if (e.type === 'endpoint.called') fetches.push(Date.now() - (e.durationMs ?? 0));
    else if (e.type === 'store.error') storeErrors += 1;
  };
  client = createLayer1Client({ clientId: m.clientId, clientSecret: m.clientSecret, tokenUrl: m.tokenUrl, onEvent, ...(store === undefined ? {} : { store }) });
  callers = m.callers;
  const connection = redis;
  cleanup = async () => {
    await store?.quit();
    // QUIT to a Cluster with a killed node may wait on that node: close the sockets instead.
    if (connection instanceof Cluster) connection.disconnect();
    else await connection?.quit();
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

async function load(m: LoadMessage): Promise<WorkerMessage> {
  if (client === undefined) throw new Error('load before prepare');
  const instance = client;
  fetches = [];
  storeErrors = 0;
  const end = Date.now() + m.durationMs;
  const stats = { calls: 0, failed: 0, expired: 0 };
  let errorSample: string | undefined;
  let expiredSample: string | undefined;
  const caller = async () => {
    while (Date.now() < end) {
      stats.calls += 1;
      try {
        const asked = Date.now();
        const token = await instance.getToken();
        const now = Date.now();
        if (!(token.expiresAt > now)) {
          stats.expired += 1;
          expiredSample ??= `expired ${now - token.expiresAt} ms before it was returned (asked ${now - asked} ms earlier, at ${asked % 100_000}); last events: ${recent.join('; ')}`;
        }
      } catch (error) {
        stats.failed += 1;
        errorSample ??= String((error as Error)?.message ?? error).slice(0, 200);
      }
      await sleep(m.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, caller));
  return { type: 'loaded', ...stats, fetches: [...fetches], storeErrors, ...(errorSample === undefined ? {} : { errorSample }), ...(expiredSample === undefined ? {} : { expiredSample }) };
}

process.on('message', (message: ParentMessage) => {
  const work =
    message.type === 'prepare'
      ? prepare(message).then(() => send({ type: 'ready' }))
      : message.type === 'load'
        ? load(message).then(send)
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
