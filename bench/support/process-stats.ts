import fs from 'node:fs';
import path from 'node:path';

/** Resident memory of a process in MiB, from /proc (Linux); NaN when it cannot be read. */
export function rssMiB(pid: number = process.pid): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kib / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number = process.pid): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The pid the embedded Temporal dev server wrote under its data folder. */
export function temporalServerPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'temporal', 'server.pid'), 'utf8').trim());
}

/** Bytes of the dev server's SQLite store, write-ahead log included. */
export function temporalStoreBytes(dataDir: string): number {
  const base = path.join(dataDir, 'temporal', 'temporal.db');
  return [base, `${base}-wal`, `${base}-shm`].reduce((sum, file) => {
    try {
      return sum + fs.statSync(file).size;
    } catch {
      return sum;
    }
  }, 0);
}
