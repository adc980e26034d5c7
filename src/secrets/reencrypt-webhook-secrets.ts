import type { StoredSecretColumn, StoredSecrets, WebhookSecretStore } from '../store/webhook-secret-store';
import { isEncryptedValue, type SecretCipher } from './secret-cipher';

type Column = StoredSecretColumn;
/** Each encrypted column, with the name reports give it. */
const COLUMNS: ReadonlyArray<readonly [Column, string]> = [
  ['secret', 'secret'],
  ['previousSecret', 'previous_secret'],
  ['basicAuth', 'basic_auth'],
];
/** A row whose values changed under us is read again this often before it is left to the next run. */
const SWAP_TRIES = 3;

export interface ReencryptionOptions {
  /** Webhooks read per batch. @default 500 */
  batchSize?: number;
  /** Count what is still to move, by key, and write nothing. @default false */
  dryRun?: boolean;
  /** Encrypt values stored in clear (written before secrets were encrypted), as they are. @default false */
  encryptPlaintext?: boolean;
  /** After each batch: how far it got. */
  onBatch?: (progress: ReencryptionReport & { lastId: string }) => void;
}

export interface ReencryptionReport {
  /** Stored values moved to the current key (in a dry run: that would be). */
  reencrypted: number;
  /** Values that changed between the read and the write (a rotation meanwhile), left to the next run. */
  changedMeanwhile: number;
  /** Values no configured key decrypts: `webhook id (column): reason`. */
  unreadable: string[];
  /** Values stored in clear, left as they are (refused at every attempt) unless `encryptPlaintext`. */
  plaintext: string[];
  /** Values still to move, by the key they are on (`enc:v1` for values that name no key): dry runs only. */
  byKey: Record<string, number>;
}

/**
 * Moves every webhook secret (current and previous) and Basic Auth value to the current key, in batches by id, while deliveries run:
 * every value stays readable throughout (old keys still decrypt), and each is written with a compare and swap on the
 * value it was computed from, so a rotation meanwhile is never overwritten. A rerun skips what is done.
 */
export async function reencryptWebhookSecrets(
  store: Pick<WebhookSecretStore, 'listNotOnKey' | 'findStoredSecrets' | 'swapStoredSecrets'>,
  cipher: SecretCipher,
  options: ReencryptionOptions = {},
): Promise<ReencryptionReport> {
  const batchSize = options.batchSize ?? 500;
  const report: ReencryptionReport = { reencrypted: 0, changedMeanwhile: 0, unreadable: [], plaintext: [], byKey: {} };
  const keyPrefix = `enc:v2:${cipher.currentKeyId}:`;
  let afterId: string | null = null;
  for (;;) {
    const rows = await store.listNotOnKey(keyPrefix, afterId, batchSize);
    for (const row of rows) {
      if (options.dryRun) countByKey(row, cipher, report);
      else await moveRow(row, store, cipher, options, report);
    }
    if (rows.length === 0) return report;
    afterId = rows.at(-1)!.id;
    options.onBatch?.({ ...report, lastId: afterId });
    if (rows.length < batchSize) return report;
  }
}

async function moveRow(
  first: StoredSecrets,
  store: Pick<WebhookSecretStore, 'findStoredSecrets' | 'swapStoredSecrets'>,
  cipher: SecretCipher,
  options: ReencryptionOptions,
  report: ReencryptionReport,
): Promise<void> {
  let row: StoredSecrets | undefined = first;
  /** Columns reported as unreadable or in clear: not looked at again. */
  const leftAlone = new Set<Column>();
  let lost = 0;
  for (let attempt = 1; row && attempt <= SWAP_TRIES; attempt++) {
    const swaps: Partial<Record<Column, { from: string; to: string }>> = {};
    for (const [column, name] of COLUMNS) {
      const stored = row[column];
      if (stored === null || leftAlone.has(column) || cipher.isOnCurrentKey(stored)) continue;
      const where = `${row.id} (${name})`;
      if (!isEncryptedValue(stored) && !options.encryptPlaintext) {
        report.plaintext.push(where);
        leftAlone.add(column);
        continue;
      }
      try {
        const plain = isEncryptedValue(stored) ? cipher.decrypt(stored) : stored;
        swaps[column] = { from: stored, to: cipher.encrypt(plain) };
      } catch (err) {
        report.unreadable.push(`${where}: ${(err as Error).message}`);
        leftAlone.add(column);
      }
    }
    const columns = Object.keys(swaps) as Column[];
    if (columns.length === 0) return;
    const swapped = await store.swapStoredSecrets(row.id, swaps);
    report.reencrypted += columns.filter((column) => swapped[column]).length;
    lost = columns.filter((column) => !swapped[column]).length;
    if (lost === 0) return;
    // Something changed between the read and the write (a rotation moves the secret to previous_secret, say):
    // read the row again and move whatever it holds now, in every column.
    row = await store.findStoredSecrets(row.id);
  }
  if (row) report.changedMeanwhile += lost;
}

function countByKey(row: StoredSecrets, cipher: SecretCipher, report: ReencryptionReport): void {
  for (const [column] of COLUMNS) {
    const stored = row[column];
    if (stored === null || cipher.isOnCurrentKey(stored)) continue;
    const key = stored.startsWith('enc:v2:')
      ? stored.slice('enc:v2:'.length).split(':', 1)[0]!
      : stored.startsWith('enc:v1:')
        ? 'enc:v1'
        : 'plaintext';
    report.byKey[key] = (report.byKey[key] ?? 0) + 1;
    if (key !== 'plaintext') report.reencrypted++;
  }
}
