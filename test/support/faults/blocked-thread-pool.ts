import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackResource } from '../system/open-resources';

/** libuv's thread pool, every thread of it busy until `release()`: as getaddrinfo leaves it on a silent server. */
export interface BlockedThreadPool {
  release(): Promise<void>;
}

/**
 * Occupies each pool thread with the open of a FIFO that has no writer yet (open blocks until one comes), then
 * checks that the pool really is full: an fs.stat must not finish within 100 ms.
 */
export async function blockThreadPool(): Promise<BlockedThreadPool> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-pool-'));
  const fifos = Array.from({ length: threads }, (_, index) => path.join(directory, `fifo-${index}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  const opening = fifos.map((fifo) => fs.promises.open(fifo, 'r'));
  const pool: BlockedThreadPool = {
    release: async () => {
      // Opening the write end wakes the blocked reader at once; the main thread never waits here.
      for (const fifo of fifos) fs.closeSync(fs.openSync(fifo, 'w'));
      for (const handle of await Promise.all(opening)) await handle.close();
      fs.rmSync(directory, { recursive: true, force: true });
      untrack();
    },
  };
  const untrack = trackResource(pool, `blocked thread pool (${threads} FIFOs in ${directory})`);
  const stuck = await Promise.race([fs.promises.stat(directory).then(() => false), sleep(100, true)]);
  if (!stuck) {
    await pool.release();
    throw new Error('could not fill the thread pool: is UV_THREADPOOL_SIZE larger than the environment says?');
  }
  return pool;
}
