import { Router } from 'express';
import type { AuthFailureLimiter } from '../api/auth-failure-limiter';
import type { Stores } from '../store/create-stores';
import { DashboardAssets, defaultDashboardAssetsDir } from './dashboard-assets';
import { dashboardSecurityHeaders } from './dashboard-security-headers';
import { DEFAULT_DASHBOARD_SETTINGS, type DashboardSettings } from './dashboard-settings';
import { dashboardSessionRouter } from './dashboard-session-router';
import { dashboardShell } from './dashboard-shell';
import { themeCss } from './theme-css';

export interface DashboardRouterDependencies {
  stores: Pick<Stores, 'teams' | 'dashboardSessions' | 'portalSessions'>;
  /** @default DEFAULT_DASHBOARD_SETTINGS */
  dashboard?: DashboardSettings;
  publicBaseUrl?: string;
  /** Counts failed sign-ins with the API's failed authentications. @default none */
  authFailures?: AuthFailureLimiter;
}

/**
 * The dashboard under `/dashboard`: one HTML page and its built assets, the theme, and sign-in. Everything the
 * screens show comes from `/v1`, which accepts the session cookie (see `dashboardSessionPrincipal`).
 */
export function dashboardRouter(deps: DashboardRouterDependencies): Router {
  const settings = deps.dashboard ?? DEFAULT_DASHBOARD_SETTINGS;
  const assets = new DashboardAssets(settings.assetsDir ?? defaultDashboardAssetsDir());
  const theme = themeCss(settings.accentColor);
  const router = Router();

  router.use('/dashboard', dashboardSecurityHeaders(settings.frameAncestors));
  router.use(
    '/dashboard/api',
    dashboardSessionRouter({
      teams: deps.stores.teams,
      sessions: deps.stores.dashboardSessions,
      portals: deps.stores.portalSessions,
      cookieSecure: settings.cookieSecure,
      publicBaseUrl: deps.publicBaseUrl,
      authFailures: deps.authFailures,
    }),
  );
  router.get('/dashboard/theme.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'no-cache').send(theme);
  });
  router.get('/dashboard/assets/:name', (req, res) => {
    assets.send(req, res, req.params.name);
  });
  // Every other path is a screen of the single-page app, so a reload or a shared link opens the same screen.
  router.get(['/dashboard', '/dashboard/{*screen}'], (_req, res) => {
    const manifest = assets.entryFiles();
    if (!manifest) {
      res
        .status(503)
        .type('text')
        .send(`The dashboard is not built: run "npm run build:dashboard" (in ${assets.dir}).`);
      return;
    }
    res.type('html').set('Cache-Control', 'no-cache').send(dashboardShell(manifest, settings.productName));
  });
  return router;
}
