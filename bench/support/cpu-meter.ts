import fs from 'node:fs';
import path from 'node:path';
import { POSTGRES_SUBDIR } from '../../src/embedded/prepare-data-dir-for-postgres';
import { temporalServerPid } from './process-stats';

/** CPU seconds of one process (user + system), with its waited-for children's when `children` (/proc, Linux). */
function cpuOf(pid: number, children = false): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
  } catch {
    return 0;
  }
}

/** Live children of a process, from /proc (the postmaster's backends). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface CpuSample {
  /** This process: the product (API and worker), the bench's load and its verifying receiver. */
  node: number;
  temporal: number;
  postgres: number;
  at: number;
}

/**
 * Where the machine's CPU goes during a scenario: seconds of CPU of the bench's own Node process, the Temporal
 * dev server and Postgres (the postmaster, its live backends and the ones that ended). On a machine of two cores
 * their sum per delivery bounds the rate whatever the design: rate ≤ cores ÷ CPU seconds per delivery.
 */
export function cpuSample(dataDir: string): CpuSample {
  let postgres = 0;
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(dataDir, POSTGRES_SUBDIR, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    postgres = cpuOf(postmaster, true) + childrenOf(postmaster).reduce((sum, pid) => sum + cpuOf(pid), 0);
  } catch {
    // not readable: left at 0
  }
  const usage = process.cpuUsage();
  return {
    node: (usage.user + usage.system) / 1e6,
    temporal: cpuOf(temporalServerPid(dataDir)),
    postgres,
    at: performance.now(),
  };
}

/** CPU milliseconds per item by process between two samples, and how many cores were busy on average. */
export function cpuPerItem(before: CpuSample, after: CpuSample, items: number): string {
  const per = (key: 'node' | 'temporal' | 'postgres') =>
    Math.round((((after[key] - before[key]) * 1000) / Math.max(1, items)) * 10) / 10;
  const busy = ['node', 'temporal', 'postgres'].reduce(
    (sum, key) => sum + after[key as 'node'] - before[key as 'node'],
    0,
  );
  const cores = Math.round((busy / ((after.at - before.at) / 1000)) * 100) / 100;
  return `${per('node')} / ${per('temporal')} / ${per('postgres')} (${cores} cores busy)`;
}
