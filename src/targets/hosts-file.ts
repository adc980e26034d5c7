import fs from 'node:fs';
import { isIP } from 'node:net';

/** Where a hosts file is and how often it is looked at again. */
export interface HostsFileOptions {
  /** @default '/etc/hosts' */
  path?: string;
  /** The file is stat'ed at most this often; a changed mtime, size or inode means it is read again. @default 5_000 */
  checkIntervalMs?: number;
}

/**
 * The operator's static names (`/etc/hosts`), answered before DNS as `hosts: files dns` in nsswitch.conf has it,
 * so `localhost` and names pinned there keep working without getaddrinfo.
 *
 * The file is read with synchronous calls, on purpose: the asynchronous ones run on libuv's thread pool, the very
 * queue a stalled getaddrinfo fills (the reason this resolver exists). A stat every few seconds and a read when
 * the file changed take microseconds on a local file.
 */
export class HostsFile {
  private readonly path: string;
  private readonly checkIntervalMs: number;
  private entries = new Map<string, string[]>();
  private version: string | undefined;
  private checkedAt = -Infinity;

  constructor(options: HostsFileOptions = {}) {
    this.path = options.path ?? '/etc/hosts';
    this.checkIntervalMs = options.checkIntervalMs ?? 5_000;
  }

  /** Every address the file gives `name` (lowercase, no trailing dot), in file order; `undefined` if none. */
  addressesOf(name: string): readonly string[] | undefined {
    this.refresh();
    return this.entries.get(name);
  }

  private refresh(): void {
    const now = performance.now();
    if (now - this.checkedAt < this.checkIntervalMs) return;
    this.checkedAt = now;
    let version: string;
    try {
      const stat = fs.statSync(this.path);
      version = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      if (version === this.version) return;
      this.entries = parseHostsFile(fs.readFileSync(this.path, 'utf8'));
    } catch (error) {
      // No file means no static names; any other failure keeps the last good reading rather than dropping it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.entries = new Map();
        this.version = undefined;
      }
      return;
    }
    this.version = version;
  }
}

/**
 * Names to addresses from hosts-file text: `address name [alias ...]` per line, `#` to the end of a line is a
 * comment, IPv4 and IPv6 addresses (an IPv6 `%zone` is kept), names lowercased without a trailing dot. A name on
 * several lines gets every address, in file order, as getaddrinfo gives them; lines without a valid address are
 * skipped.
 */
export function parseHostsFile(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const [address, ...names] = (line.split('#')[0] ?? '').trim().split(/\s+/);
    if (address === undefined || names.length === 0 || isIP(address.split('%')[0] ?? '') === 0) continue;
    for (const written of names) {
      const name = written.toLowerCase().replace(/\.$/, '');
      const addresses = entries.get(name) ?? [];
      if (!addresses.includes(address)) addresses.push(address);
      entries.set(name, addresses);
    }
  }
  return entries;
}
