import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, spawnRedis, until, type RedisProcess } from './redisProcess.js';

export const MASTER_NAME = 'fintoken-test';
/** How long the sentinels wait before they call a silent master down (then elect and promote). */
export const DOWN_AFTER_MS = 1_000;

export interface SentinelNode {
  host: '127.0.0.1';
  port: number;
}

export interface TestSentinel {
  /** The three sentinels, for the clients' `sentinels` / `sentinelRootNodes`. */
  readonly sentinels: SentinelNode[];
  /** The port of the master the sentinels name now. */
  master(): Promise<number>;
  /** SIGKILL the current master (only ours: by its pid); resolves with its port. */
  killMaster(): Promise<number>;
  /** Resolve once the sentinels name a live master other than `oldMaster`. */
  failedOver(oldMaster: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A Sentinel-managed Redis on loopback: one master, one replica and three sentinels (quorum 2)
 * on free ports, in a temporary directory (each sentinel rewrites its own config file).
 */
export async function startSentinel(): Promise<TestSentinel> {
  const dir = await mkdtemp(join(tmpdir(), 'fintoken-sentinel-'));
  const processes = new Map<number, RedisProcess>();
  const close = async () => {
    await Promise.all([...processes.values()].map((p) => p.kill()));
    if (process.env.FINTOKEN_REDIS_LOGS === undefined) await rm(dir, { recursive: true, force: true });
  };
  const log = (port: number) => ['--logfile', join(dir, `redis-${port}.log`)];
  const data = (port: number) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', ...log(port)];
  try {
    const masterPort = await freePort();
    processes.set(masterPort, await spawnRedis(masterPort, data(masterPort)));
    const replicaPort = await freePort();
    processes.set(replicaPort, await spawnRedis(replicaPort, [...data(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)]));

    const sentinels: SentinelNode[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const file = join(dir, `sentinel-${port}.conf`);
      await writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `logfile ${join(dir, `sentinel-${port}.log`)}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      processes.set(port, await spawnRedis(port, [file, '--sentinel']));
      sentinels.push({ host: '127.0.0.1', port });
    }

    const ask = async <T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> => {
      const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000 });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return await f(r);
      } finally {
        r.disconnect();
      }
    };
    const master = async () => {
      const [, port] = (await ask(sentinels[0]!.port, (r) => r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME))) as [string, string];
      return Number(port);
    };
    // Ready when every sentinel knows the replica and the two other sentinels, and the replica is in sync.
    await until(
      async () => {
        const views = await Promise.all(
          sentinels.map(async (s) => {
            const replicas = (await ask(s.port, (r) => r.call('SENTINEL', 'REPLICAS', MASTER_NAME))) as unknown[];
            const others = (await ask(s.port, (r) => r.call('SENTINEL', 'SENTINELS', MASTER_NAME))) as unknown[];
            return replicas.length === 1 && others.length === 2;
          }),
        );
        const replication = await ask(replicaPort, (r) => r.info('replication'));
        return views.every(Boolean) && replication.includes('master_link_status:up');
      },
      20_000,
      'the sentinels to see the replica and each other',
    );

    return {
      sentinels,
      master,
      async killMaster() {
        const port = await master();
        await processes.get(port)?.kill();
        return port;
      },
      async failedOver(oldMaster, timeoutMs = 20_000) {
        let port = oldMaster;
        await until(async () => {
          port = await master();
          if (port === oldMaster || processes.get(port)?.alive !== true) return false;
          return (await ask(port, (r) => r.info('replication'))).includes('role:master');
        }, timeoutMs, 'the sentinels to promote the replica');
        return port;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
