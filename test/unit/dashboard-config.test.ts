import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { DEFAULT_DASHBOARD_SETTINGS } from '../../src/dashboard/dashboard-settings';

describe('dashboard configuration (DASHBOARD_*)', () => {
  it('defaults to the Tidehook name, the teal accent, no framing and the automatic Secure flag', () => {
    const { assetsDir: _unset, ...defaults } = DEFAULT_DASHBOARD_SETTINGS;
    assert.deepEqual(loadConfig({}).dashboard, defaults);
  });

  it('reads the product name, accent colour, frame ancestors and Secure flag', () => {
    const config = loadConfig({
      DASHBOARD_PRODUCT_NAME: '  Acme Hooks ',
      DASHBOARD_ACCENT_COLOR: '#F0a',
      DASHBOARD_FRAME_ANCESTORS: "https://app.example.com, http://localhost:8080 'self'",
      DASHBOARD_COOKIE_SECURE: 'true',
    });
    assert.deepEqual(config.dashboard, {
      productName: 'Acme Hooks',
      accentColor: '#F0a',
      frameAncestors: ['https://app.example.com', 'http://localhost:8080', "'self'"],
      cookieSecure: true,
    });
  });

  it('refuses a colour that is not hex and ancestors that are not bare origins, naming the variable', () => {
    for (const [variable, value] of [
      ['DASHBOARD_ACCENT_COLOR', 'red; } body { display: none'],
      ['DASHBOARD_FRAME_ANCESTORS', 'https://app.example.com/embed'],
      ['DASHBOARD_FRAME_ANCESTORS', '*'],
      ['DASHBOARD_FRAME_ANCESTORS', "https://ok.example.com 'unsafe-inline'"],
      ['DASHBOARD_PRODUCT_NAME', 'x'.repeat(61)],
    ] as const) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (err: unknown) => err instanceof ConfigError && err.message.includes(variable),
        `${variable}=${value}`,
      );
    }
  });
});
