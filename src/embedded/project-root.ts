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
