import { tmpdir } from 'node:os';
import { freePort, spawnRedis, type RedisProcess } from './redisProcess.js';

export interface PrivateRedis {
  url: string;
  /** SIGKILL the server (only this one: we started it). */
  kill(): Promise<void>;
  /** Start a new, empty server on the same port (after `kill()`), as a restart or failover would. */
  restart(): Promise<void>;
}

/** A throwaway redis-server this test may kill, flush and restart without disturbing anyone else. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const start = (): Promise<RedisProcess> =>
    spawnRedis(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()]);
  let server = await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => server.kill(),
    async restart() {
      await server.kill();
      server = await start();
    },
  };
}
