import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../embedded/project-root';

/** `User-Agent` of every attempt: the product name and version. */
export function productUserAgent(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(findProjectRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return `Tidehook/${manifest.version} (+https://github.com/tidehook/tidehook)`;
}
