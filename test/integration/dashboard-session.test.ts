import assert from 'node:assert/strict';
import { DEFAULT_DASHBOARD_SETTINGS } from '../../src/dashboard/dashboard-settings';
import { hashSessionId } from '../../src/tenancy/session-id';
import { buildDashboard } from '../../scripts/build-dashboard';
import { createTenant } from '../support/system/fixtures';
import { serveApp } from '../support/system/serve-app';
import { useTestSystem } from '../support/system/use-test-system';

interface SignedIn {
  cookie: string;
  sessionId: string;
  csrf: string;
  setCookie: string;
}

describe('dashboard sessions and headers', function () {
  this.timeout(60_000);
  before(() => buildDashboard());
  const ctx = useTestSystem({ temporal: 'time-skipping', tenant: true });

  async function signIn(token = ctx.tenant.token, baseUrl = ctx.system.baseUrl): Promise<SignedIn> {
    const response = await fetch(`${baseUrl}/dashboard/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ token }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const setCookie = response.headers.get('set-cookie') ?? '';
    const sessionId = /^tidehook_session=([^;]+)/.exec(setCookie)?.[1];
    assert.ok(sessionId, `no session cookie in ${setCookie}`);
    const body = (await response.json()) as { data: { csrf_token: string } };
    return { cookie: `tidehook_session=${sessionId}`, sessionId, csrf: body.data.csrf_token, setCookie };
  }

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${ctx.system.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('trades a manage token for an HttpOnly, SameSite=Strict cookie holding a random id stored only hashed', async () => {
    const session = await signIn();
    const attributes = session.setCookie.split(';').map((part) => part.trim());
    assert.ok(attributes.includes('HttpOnly'), session.setCookie);
    assert.ok(attributes.includes('SameSite=Strict'), session.setCookie);
    assert.ok(attributes.includes('Path=/'), session.setCookie);
    assert.ok(!attributes.includes('Secure'), 'plain http without configuration: not Secure');
    assert.ok(!session.setCookie.includes(ctx.tenant.token), 'the token itself is never in the cookie');
    const rows = await ctx.system.database.db('dashboard_sessions').select('session_hash');
    assert.ok(rows.some((row) => row.session_hash === hashSessionId(session.sessionId)));
    assert.ok(rows.every((row) => row.session_hash !== session.sessionId));

    const me = await call('GET', '/dashboard/api/session', { cookie: session.cookie });
    assert.equal(me.status, 200);
    assert.deepEqual(((await me.json()) as any).data, {
      kind: 'operator',
      scopes: ['manage', 'trigger'],
      csrf_token: session.csrf,
    });
    assert.equal(me.headers.get('cache-control'), 'no-store');
  });

  it('opens /v1 to the session: reads with the cookie, writes only with its CSRF token', async () => {
    const session = await signIn();
    assert.equal((await call('GET', '/v1/projects', { cookie: session.cookie })).status, 200);

    for (const csrf of [undefined, 'wrong', (await signIn()).csrf]) {
      const refused = await call(
        'POST',
        '/v1/projects',
        { cookie: session.cookie, ...(csrf && { 'x-csrf-token': csrf }) },
        { name: 'forged' },
      );
      assert.equal(refused.status, 403, `CSRF token ${csrf}`);
      assert.deepEqual(await refused.json(), { message: 'Missing or invalid CSRF token.' });
    }
    const created = await call(
      'POST',
      '/v1/projects',
      { cookie: session.cookie, 'x-csrf-token': session.csrf },
      { name: 'From the dashboard' },
    );
    assert.equal(created.status, 201);
    const names = (await ctx.system.database.db('projects').where({ team_id: ctx.tenant.teamId }).select('name')).map(
      (row) => row.name,
    );
    assert.ok(names.includes('From the dashboard'));
    assert.ok(!names.includes('forged'));
  });

  it('keeps Bearer tokens working as before; a Bearer header is judged alone, whatever cookie comes with it', async () => {
    const session = await signIn();
    const bearer = await call('POST', '/v1/projects', { authorization: `Bearer ${ctx.tenant.token}` }, { name: 'CLI' });
    assert.equal(bearer.status, 201, 'no CSRF token needed without a cookie');
    const wrongBearer = await call('GET', '/v1/projects', {
      authorization: 'Bearer th_unknown',
      cookie: session.cookie,
    });
    assert.equal(wrongBearer.status, 401);
    assert.equal(
      (await call('GET', '/v1/projects', { cookie: 'tidehook_session=not-a-session-id-at-all' })).status,
      401,
    );
  });

  it('refuses unknown tokens, tokens without the manage scope, other origins and form posts', async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${ctx.system.baseUrl}/dashboard/api/session`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const unknown = await post(JSON.stringify({ token: 'th_nope' }), json);
    assert.equal(unknown.status, 401);
    assert.ok(!unknown.headers.get('set-cookie'));

    const trigger = await ctx.system.stores.teams.createToken(ctx.tenant.teamId, 'service', ['trigger']);
    const triggerOnly = await post(JSON.stringify({ token: trigger }), json);
    assert.equal(triggerOnly.status, 403);
    assert.match(((await triggerOnly.json()) as any).message, /manage/);

    const elsewhere = await post(JSON.stringify({ token: ctx.tenant.token }), {
      ...json,
      origin: 'https://evil.example',
    });
    assert.equal(elsewhere.status, 403);
    const form = await post(`token=${ctx.tenant.token}`, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 422);
    assert.match(((await form.json()) as any).errors.token[0], /as JSON/);
    const empty = await post(JSON.stringify({ token: '' }), json);
    assert.equal(empty.status, 422);
    assert.ok(((await empty.json()) as any).errors.token);
  });

  it('ends the session on sign-out, which needs the CSRF token, and when its API token is deleted', async () => {
    const session = await signIn();
    const forged = await call('DELETE', '/dashboard/api/session', { cookie: session.cookie });
    assert.equal(forged.status, 403);
    assert.equal((await call('GET', '/v1/projects', { cookie: session.cookie })).status, 200);
    const out = await call('DELETE', '/dashboard/api/session', {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
    });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /^tidehook_session=; .*Max-Age=0/);
    assert.equal((await call('GET', '/v1/projects', { cookie: session.cookie })).status, 401);

    const other = await createTenant(ctx.system.database.db);
    const second = await signIn(other.token);
    assert.equal((await call('GET', '/v1/projects', { cookie: second.cookie })).status, 200);
    await ctx.system.database.db('api_tokens').where({ team_id: other.teamId }).delete();
    assert.equal((await call('GET', '/v1/projects', { cookie: second.cookie })).status, 401);
  });

  it('opens nothing with a session that ran out', async () => {
    const session = await signIn();
    await ctx.system.database
      .db('dashboard_sessions')
      .where({ session_hash: hashSessionId(session.sessionId) })
      .update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal((await call('GET', '/v1/projects', { cookie: session.cookie })).status, 401);
    assert.equal((await call('GET', '/dashboard/api/session', { cookie: session.cookie })).status, 401);
  });

  it('serves the page under a strict CSP that refuses framing by default', async () => {
    const page = await call('GET', '/dashboard/webhooks/anything', {});
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const html = await page.text();
    assert.doesNotMatch(html, /<script>|<style>|\son\w+=/i, 'no inline script, style or handler');
    const script = /src="(\/dashboard\/assets\/app-[\w-]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);

    const brotli = await call('GET', script, { 'accept-encoding': 'br, gzip' });
    assert.equal(brotli.status, 200);
    assert.equal(brotli.headers.get('content-encoding'), 'br');
    assert.match(brotli.headers.get('cache-control') ?? '', /immutable/);
    assert.match(brotli.headers.get('content-type') ?? '', /javascript/);
    const plain = await call('GET', script, { 'accept-encoding': 'identity' });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal((await call('GET', '/dashboard/assets/..%2Fmanifest.json', {})).status, 404);
  });

  it('applies the configured branding, frame ancestors and Secure cookie', async () => {
    const branded = await serveApp({
      ...ctx.system.deps,
      dashboard: {
        ...DEFAULT_DASHBOARD_SETTINGS,
        productName: 'Acme <Hooks> & "Co"',
        accentColor: '#ffcc00',
        frameAncestors: ['https://app.example.com', "'self'"],
        cookieSecure: true,
      },
    });
    try {
      const page = await fetch(`${branded.baseUrl}/dashboard/`);
      assert.match(
        page.headers.get('content-security-policy') ?? '',
        /frame-ancestors https:\/\/app\.example\.com 'self'/,
      );
      assert.equal(page.headers.get('x-frame-options'), null);
      const html = await page.text();
      assert.ok(html.includes('<title>Acme &#60;Hooks&#62; &#38; &#34;Co&#34;</title>'), html);
      assert.ok(!html.includes('<Hooks>'));
      const theme = await (await fetch(`${branded.baseUrl}/dashboard/theme.css`)).text();
      assert.equal(theme.trim(), ':root{--accent:#ffcc00;--on-accent:#111111}');
      const session = await signIn(ctx.tenant.token, branded.baseUrl);
      assert.ok(session.setCookie.split('; ').includes('Secure'), session.setCookie);
    } finally {
      await branded.close();
    }
  });
});
