import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { runCli } from '../../src/cli/run-cli';
import { basicAuthorization, decryptBasicAuth } from '../../src/secrets/basic-auth-credentials';
import { reencryptWebhookSecrets } from '../../src/secrets/reencrypt-webhook-secrets';
import { SecretCipher } from '../../src/secrets/secret-cipher';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { createStores } from '../../src/store/create-stores';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { TEST_SECRET_KEY } from '../support/system/test-secret-cipher';
import { startTestSystem, type TestSystem } from '../support/system/test-system';

const OLD_KEY = TEST_SECRET_KEY;
const NEW_KEY = Buffer.alloc(32, 0x33).toString('base64');

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err: err.join('\n'), values: Object.fromEntries(out.map((l) => l.split(' ', 2))) };
}

/**
 * Audit 7 and 18, issue 12 item 5: a key rotation while deliveries run. The fixtures write secrets with the old key
 * (what an install holds before the rotation); the system runs with the new key current and the old one in
 * SECRET_ENCRYPTION_KEYS_OLD (step 1 of the procedure); re-encryption then moves everything (step 2).
 */
describe('secret key rotation and re-encryption', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let receiver: TestReceiver;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  const secrets = new Map<string, string>();
  const rotated = new SecretCipher(Buffer.from(NEW_KEY, 'base64'), [Buffer.from(OLD_KEY, 'base64')]);
  const newOnly = SecretCipher.fromBase64(NEW_KEY);

  before(async () => {
    system = await startTestSystem({ temporal: 'time-skipping', cipher: rotated });
    receiver = await startTestReceiver();
    tenant = await createTenant(system.database.db);
    for (let i = 0; i < 23; i++) {
      const webhook = await createWebhookRow(system.database.db, {
        ...tenant,
        url: `${receiver.url}/${i}`,
        events: ['message.sent'],
      });
      secrets.set(webhook.id, webhook.secret);
    }
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  const db = () => system.database.db;
  const storedValues = async () =>
    (await db()('webhooks').select('secret', 'previous_secret')).flatMap((r) =>
      [r.secret, r.previous_secret].filter((v): v is string => v !== null),
    );

  it('moves every secret to the current key while deliveries run, signing with the right secret throughout', async () => {
    const oldId = SecretCipher.keyIdOf(Buffer.from(OLD_KEY, 'base64'));
    assert.ok(
      (await storedValues()).every((v) => v.startsWith(`enc:v2:${oldId}:`)),
      'before: all on the old key',
    );
    // One webhook in rotation: its previous secret signs too, so both columns must move.
    const [graceId] = [...secrets.keys()];
    const graced = await system.api('POST', `/v1/webhooks/${graceId}/regenerate-secret`, {
      token: tenant.token,
      body: { grace_period_seconds: 3600 },
    });
    const graceSecrets = [secrets.get(graceId!)!, graced.body.data.secret as string];
    secrets.set(graceId!, graced.body.data.secret);

    const deliveries = (async () => {
      for (let round = 0; round < 3; round++) {
        const answer = await system.api('POST', '/v1/events', {
          token: tenant.token,
          body: { route_id: tenant.routeId, event: 'message.sent', data: { round } },
        });
        assert.equal(answer.status, 202);
      }
    })();
    const report = await reencryptWebhookSecrets(system.stores.webhookSecrets, rotated, { batchSize: 5 });
    await deliveries;
    const requests = await receiver.waitForRequests(3 * secrets.size, 30_000);

    // The rotation above wrote its new secret with the new key already: what is left is every other secret, and the
    // previous one in grace.
    assert.equal(report.reencrypted, secrets.size, 'every secret on the old key, and the previous one in grace');
    assert.deepEqual([report.changedMeanwhile, report.unreadable, report.plaintext], [0, [], []]);
    const values = await storedValues();
    assert.ok(
      values.every((v) => rotated.isOnCurrentKey(v)),
      'after: all on the new key',
    );
    for (const request of requests) {
      const id = [...secrets.keys()][Number(request.path.split('/').at(-1))]!;
      const keys = id === graceId ? graceSecrets : [secrets.get(id)!];
      for (const secret of keys) {
        verifyWebhookSignature({
          payload: request.body,
          signatureHeader: String(request.headers['x-lettermint-signature']),
          secret,
        });
      }
    }
    for (const value of values) assert.match(newOnly.decrypt(value), /^whsec_/, 'the old key may go');
  });

  it('moves Basic Auth credentials too, never overwriting new ones set meanwhile, and attempts still send them', async () => {
    const credentials = { username: 'rotating', password: 'kept through the rotation' };
    const moved = await createWebhookRow(db(), {
      ...tenant,
      url: `${receiver.url}/basic-auth`,
      events: ['message.delivered'],
      basicAuth: credentials,
    });
    const raced = await createWebhookRow(db(), {
      ...tenant,
      url: `${receiver.url}/basic-auth-raced`,
      events: ['none'],
      basicAuth: { username: 'before', password: 'race' },
    });
    const stillOld = createStores(db(), SecretCipher.fromBase64(OLD_KEY)).webhookSecrets;
    let racedOnce = false;
    const racing = {
      listNotOnKey: system.stores.webhookSecrets.listNotOnKey.bind(system.stores.webhookSecrets),
      findStoredSecrets: system.stores.webhookSecrets.findStoredSecrets.bind(system.stores.webhookSecrets),
      swapStoredSecrets: async (...args: Parameters<TestSystem['stores']['webhookSecrets']['swapStoredSecrets']>) => {
        if (args[0] === raced.id && !racedOnce) {
          racedOnce = true;
          // A process still on the old key sets new credentials right now.
          await stillOld.setBasicAuth(tenant.teamId, raced.id, { username: 'after', password: 'race' });
        }
        return system.stores.webhookSecrets.swapStoredSecrets(...args);
      },
    };
    const report = await reencryptWebhookSecrets(racing, rotated, { batchSize: 5 });
    assert.deepEqual([report.changedMeanwhile, report.unreadable, report.plaintext], [0, [], []]);
    assert.ok(racedOnce);
    for (const [id, expected] of [
      [moved.id, credentials],
      [raced.id, { username: 'after', password: 'race' }],
    ] as const) {
      const row = await db()('webhooks').where({ id }).first();
      assert.ok(rotated.isOnCurrentKey(row.basic_auth) && rotated.isOnCurrentKey(row.secret), id);
      assert.deepEqual(decryptBasicAuth(newOnly, row.basic_auth), expected, 'the old key may go');
    }

    const before = receiver.requests.length;
    const answer = await system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.delivered', data: {} },
    });
    assert.equal(answer.status, 202);
    const [request] = (await receiver.waitForRequests(before + 1, 15_000)).slice(before);
    assert.equal(request!.path, '/hook/basic-auth');
    assert.equal(request!.headers.authorization, basicAuthorization(credentials));
    await db()('webhooks').whereIn('id', [moved.id, raced.id]).update({ enabled: false });
  });

  it('never overwrites a rotation that happens between its read and its write, and moves the new value too', async () => {
    const webhook = await createWebhookRow(db(), { ...tenant, url: `${receiver.url}/race`, events: ['none'] });
    let newSecret = '';
    const racing = {
      listNotOnKey: system.stores.webhookSecrets.listNotOnKey.bind(system.stores.webhookSecrets),
      findStoredSecrets: system.stores.webhookSecrets.findStoredSecrets.bind(system.stores.webhookSecrets),
      swapStoredSecrets: async (...args: Parameters<TestSystem['stores']['webhookSecrets']['swapStoredSecrets']>) => {
        if (args[0] === webhook.id && !newSecret) {
          // A process still on the old key rotates the secret right now.
          const stillOld = SecretCipher.fromBase64(OLD_KEY);
          newSecret = 'whsec_rotated-meanwhile';
          await db()('webhooks')
            .where({ id: webhook.id })
            .update({ previous_secret: db().ref('secret'), secret: stillOld.encrypt(newSecret) });
        }
        return system.stores.webhookSecrets.swapStoredSecrets(...args);
      },
    };
    const report = await reencryptWebhookSecrets(racing, rotated, { batchSize: 5 });
    assert.equal(report.changedMeanwhile, 0);
    const row = await db()('webhooks').where({ id: webhook.id }).first();
    assert.equal(newOnly.decrypt(row.secret), newSecret, 'the rotation stands');
    assert.equal(newOnly.decrypt(row.previous_secret), webhook.secret, 'and its previous secret moved too');
  });

  it('resumes where it stopped: a rerun skips every value already on the current key', async () => {
    const back = SecretCipher.fromBase64(OLD_KEY, [NEW_KEY]);
    const all = await reencryptWebhookSecrets(system.stores.webhookSecrets, back, {});
    assert.ok(all.reencrypted > 20, 'moved back to the old key for this test');
    let batches = 0;
    await assert.rejects(
      reencryptWebhookSecrets(system.stores.webhookSecrets, rotated, {
        batchSize: 4,
        onBatch: () => {
          if (++batches === 2) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    const rest = await reencryptWebhookSecrets(system.stores.webhookSecrets, rotated, { batchSize: 4 });
    assert.ok(rest.reencrypted > 0 && rest.reencrypted <= all.reencrypted - 8, `rerun moved ${rest.reencrypted}`);
    assert.ok((await storedValues()).every((v) => rotated.isOnCurrentKey(v)));
  });

  it('through the CLI: counts by key, moves enc:v1 values, refuses values in clear unless asked', async () => {
    const env = {
      DATABASE_URL: system.database.url,
      SECRET_ENCRYPTION_KEY: NEW_KEY,
      SECRET_ENCRYPTION_KEYS_OLD: OLD_KEY,
    };
    const legacy = await createWebhookRow(db(), { ...tenant, url: `${receiver.url}/v1`, events: ['none'] });
    await db()('webhooks')
      .where({ id: legacy.id })
      .update({ secret: encryptV1(OLD_KEY, legacy.secret) });
    const planted = await createWebhookRow(db(), { ...tenant, url: `${receiver.url}/clear`, events: ['none'] });
    await db()('webhooks').where({ id: planted.id }).update({ secret: 'whsec_in-clear' });

    const dry = await cli(['reencrypt-secrets', '--dry-run'], env);
    assert.equal(dry.code, 0, dry.err);
    assert.deepEqual(dry.out, ['to_move enc:v1 1', 'to_move plaintext 1', 'to_move_total 2']);

    const run = await cli(['reencrypt-secrets'], env);
    assert.equal(run.code, 1, 'not done: a value is in clear');
    assert.deepEqual(run.values, { reencrypted: '1', changed_meanwhile: '0', unreadable: '0', plaintext: '1' });
    assert.match(run.err, new RegExp(`in clear \\(refused at every attempt\\): ${planted.id}`));
    assert.match(run.err, /--encrypt-plaintext encrypts them/);

    const forced = await cli(['reencrypt-secrets', '--encrypt-plaintext'], env);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(forced.values.reencrypted, '1');
    assert.match(forced.err, /the old keys may go/);
    assert.equal((await cli(['reencrypt-secrets'], env)).values.reencrypted, '0', 'nothing left to do');
    for (const [id, secret] of [
      [legacy.id, legacy.secret],
      [planted.id, 'whsec_in-clear'],
    ]) {
      assert.equal(newOnly.decrypt((await db()('webhooks').where({ id }).first()).secret), secret);
    }

    const unknownKey = await cli(['reencrypt-secrets'], {
      ...env,
      SECRET_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(unknownKey.code, 1);
    assert.match(unknownKey.err, /unreadable \(add their key to SECRET_ENCRYPTION_KEYS_OLD\)/);
    const noKey = await cli(['reencrypt-secrets'], { DATABASE_URL: system.database.url, DATA_DIR: '/nonexistent' });
    assert.equal(noKey.code, 1);
    assert.match(noKey.err, /SECRET_ENCRYPTION_KEY: required/);
  });
});

function encryptV1(keyBase64: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `enc:v1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}
