import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors/not-found-error';

/** What `npm run build:dashboard` writes beside the assets: the content-hashed names of the entry files. */
export interface DashboardManifest {
  script: string;
  style: string;
}

export const MANIFEST_FILE = 'manifest.json';

/** The encodings the build writes beside each asset, best first, with the suffix of their files. */
export const PRECOMPRESSED: ReadonlyArray<readonly [encoding: string, suffix: string]> = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** `dist/dashboard` under the package root, found from here both in `src/` (tsx) and in `dist/src/` (compiled). */
export function defaultDashboardAssetsDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'dashboard');
}

/** The built dashboard: its manifest, and its files served precompressed (brotli or gzip, as the build wrote them). */
export class DashboardAssets {
  private manifest: DashboardManifest | undefined;

  constructor(readonly dir: string) {}

  /**
   * Read once: a build gives new file names, so a running server keeps serving the build it started with.
   * Undefined while the dashboard is not built.
   */
  entryFiles(): DashboardManifest | undefined {
    if (this.manifest) return this.manifest;
    const file = path.join(this.dir, MANIFEST_FILE);
    if (!fs.existsSync(file)) return undefined;
    this.manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as DashboardManifest;
    return this.manifest;
  }

  /** Answers `assets/<name>`; names are content-hashed, so they are cached for good. */
  send(req: Request, res: Response, name: string): void {
    if (!/^[A-Za-z0-9_-]+\.(js|css|map)$/.test(name)) throw new NotFoundError('Asset');
    const file = path.join(this.dir, 'assets', name);
    if (!fs.existsSync(file)) throw new NotFoundError('Asset');
    const accepted = req.get('accept-encoding') ?? '';
    const compressed = PRECOMPRESSED.find(
      ([encoding, suffix]) => accepted.includes(encoding) && fs.existsSync(file + suffix),
    );
    res.type(path.extname(name));
    res.vary('Accept-Encoding');
    if (compressed) res.set('Content-Encoding', compressed[0]);
    res.sendFile(compressed ? file + compressed[1] : file, { maxAge: '365d', immutable: true });
  }
}
