import { reencryptWebhookSecrets } from '../secrets/reencrypt-webhook-secrets';
import { CliUsageError, type CliCommand } from './cli-command';

/**
 * Step 2 of a key rotation (README "Rotating the secret key", ADR 12): every webhook secret moved to the current
 * key. Safe while deliveries run, resumable (a rerun skips what is done), and it says whether anything is left.
 */
export const reencryptSecretsCommand: CliCommand = {
  name: 'reencrypt-secrets',
  summary: 'Re-encrypt every stored webhook secret with the current SECRET_ENCRYPTION_KEY (resumable).',
  usage: '[--dry-run] [--batch-size <n>] [--encrypt-plaintext]',
  needs: 'secrets',
  options: {
    'dry-run': { type: 'boolean' },
    'batch-size': { type: 'string' },
    'encrypt-plaintext': { type: 'boolean' },
  },
  async run({ stores, cipher }, values, output) {
    const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new CliUsageError('--batch-size must be a whole number from 1 to 10000');
    }
    const dryRun = values['dry-run'] === true;
    output.err(`Current key: ${cipher.currentKeyId}; keys that decrypt: ${cipher.keyIds.join(', ')}.`);
    const report = await reencryptWebhookSecrets(stores.webhookSecrets, cipher, {
      batchSize,
      dryRun,
      encryptPlaintext: values['encrypt-plaintext'] === true,
      onBatch: (progress) =>
        output.err(
          `  ${dryRun ? 'counted' : 're-encrypted'} ${progress.reencrypted} so far (webhooks up to ${progress.lastId})`,
        ),
    });
    if (dryRun) {
      for (const [key, count] of Object.entries(report.byKey).sort()) output.out(`to_move ${key} ${count}`);
      output.out(`to_move_total ${report.reencrypted + (report.byKey.plaintext ?? 0)}`);
      return;
    }
    output.out(`reencrypted ${report.reencrypted}`);
    output.out(`changed_meanwhile ${report.changedMeanwhile}`);
    output.out(`unreadable ${report.unreadable.length}`);
    output.out(`plaintext ${report.plaintext.length}`);
    for (const line of report.unreadable) output.err(`  unreadable: ${line}`);
    for (const line of report.plaintext) output.err(`  in clear (refused at every attempt): ${line}`);
    const left = report.changedMeanwhile + report.unreadable.length + report.plaintext.length;
    if (left === 0) {
      output.err(`Every webhook secret is on key ${cipher.currentKeyId}: the old keys may go.`);
      return;
    }
    throw new Error(
      `${left} values are not on the current key yet: ` +
        [
          report.changedMeanwhile > 0 && `${report.changedMeanwhile} changed meanwhile (run it again)`,
          report.unreadable.length > 0 &&
            `${report.unreadable.length} unreadable (add their key to SECRET_ENCRYPTION_KEYS_OLD)`,
          report.plaintext.length > 0 &&
            `${report.plaintext.length} in clear (--encrypt-plaintext encrypts them as they are)`,
        ]
          .filter(Boolean)
          .join('; '),
    );
  },
};
