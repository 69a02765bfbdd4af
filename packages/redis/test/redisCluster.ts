import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, spawnRedis, until, type RedisProcess } from './redisProcess.js';

const run = promisify(execFile);

/**
 * How quickly a master is declared failed: replicas start an election after it, so a killed
 * master's slots move to its replica within about twice this (Redis Cluster specification,
 * "Failure detection" and "Replica election").
 */
export const NODE_TIMEOUT_MS = 1_000;

export interface ClusterNode {
  host: '127.0.0.1';
  port: number;
}

export interface TestCluster {
  /** Every node as started (masters first, then their replicas). */
  readonly nodes: ClusterNode[];
  /** The port of the master that serves `key` now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILL one node (only ours: by its pid). */
  kill(port: number): Promise<void>;
  /** Start a killed node again on its port with its nodes.conf: it rejoins, as a replica. */
  restart(port: number): Promise<void>;
  /** Resolve once every slot is served again and `key` has a master other than `oldMaster`. */
  failedOver(key: string, oldMaster: number, timeoutMs?: number): Promise<number>;
  /** Resolve once every live node reports `cluster_state:ok`. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Kill every node and remove the directory. */
  close(): Promise<void>;
}

/**
 * A Redis Cluster of 3 masters and 3 replicas on loopback, on free ports (data and bus ports both
 * chosen, `cluster-port`: the default bus port is the data port + 10000, which may not be free),
 * in a temporary directory, created with `redis-cli --cluster create`.
 */
export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'fintoken-cluster-'));
  const processes = new Map<number, RedisProcess>();
  const busPorts = new Map<number, number>();
  const close = async () => {
    await Promise.all([...processes.values()].map((p) => p.kill()));
    if (process.env.FINTOKEN_REDIS_LOGS === undefined) await rm(dir, { recursive: true, force: true });
  };
  const start = async (port: number) => {
    const args = [
      '--port', String(port),
      '--cluster-port', String(busPorts.get(port)),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
      '--dir', dir,
      '--save', '',
      '--appendonly', 'no',
      // Replicas sync at once (the default waits 5 s for more replicas), and one that lost its
      // master may always stand for election: a test kills masters seconds after the start.
      '--repl-diskless-sync-delay', '0',
      '--cluster-replica-validity-factor', '0',
      '--logfile', join(dir, `redis-${port}.log`),
    ];
    processes.set(port, await spawnRedis(port, args));
  };
  try {
    const ports: number[] = [];
    while (ports.length < 6) {
      const port = await freePort();
      const bus = await freePort();
      if (port === bus || ports.includes(port) || ports.includes(bus) || [...busPorts.values()].includes(port) || [...busPorts.values()].includes(bus)) continue;
      ports.push(port);
      busPorts.set(port, bus);
    }
    await Promise.all(ports.map(start));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
    const nodes = ports.map((port) => ({ host: '127.0.0.1' as const, port }));

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
    const live = () => ports.filter((p) => processes.get(p)?.alive === true);
    // Every slot served, and every replica in sync with its master (else a killed master has no
    // replica able to take over).
    const healthy = async (timeoutMs = 20_000) =>
      until(
        async () => {
          const infos = await Promise.all(live().map((p) => ask(p, async (r) => `${await r.cluster('INFO')}\n${await r.info('replication')}`)));
          return infos.every((info) => info.includes('cluster_state:ok') && (!info.includes('role:slave') || info.includes('master_link_status:up')));
        },
        timeoutMs,
        'cluster_state:ok and replicas in sync on every node',
      );
    const masterOf = async (key: string): Promise<number> => {
      const port = live()[0] as number;
      return ask(port, async (r) => {
        const slot = (await r.cluster('KEYSLOT', key)) as number;
        const ranges = (await r.cluster('SLOTS')) as unknown as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (range === undefined) throw new Error(`slot ${slot} is not served`);
        return range[2][1];
      });
    };
    await healthy();
    return {
      nodes,
      masterOf,
      kill: async (port) => processes.get(port)?.kill(),
      async restart(port) {
        await start(port);
        // It comes back as a master of nothing, learns it was failed over, and follows the new one.
        await until(async () => {
          const info = await ask(port, (r) => r.info('replication'));
          return info.includes('role:slave') && info.includes('master_link_status:up');
        }, 20_000, `node ${port} to rejoin as a replica`);
        await healthy();
      },
      healthy,
      async failedOver(key, oldMaster, timeoutMs = 20_000) {
        let master = oldMaster;
        await until(async () => {
          master = await masterOf(key);
          return master !== oldMaster && processes.get(master)?.alive === true;
        }, timeoutMs, `a new master for ${key}`);
        await healthy(timeoutMs);
        return master;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
