import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** What the numbers were measured on: they mean nothing without it. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  /** The commit benchmarked, when run inside a git checkout. */
  commit?: string;
}

export function describeMachine(now = new Date()): MachineInfo {
  const cpus = os.cpus();
  const info: MachineInfo = {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${process.platform}/${process.arch})`,
    date: now.toISOString(),
  };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim();
    if (commit !== '') info.commit = commit;
  } catch {
    // Not a git checkout (or no git): the commit is optional.
  }
  return info;
}
