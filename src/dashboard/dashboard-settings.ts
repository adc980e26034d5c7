/** What an operator configures about the dashboard (`DASHBOARD_*`); everything else about it is fixed. */
export interface DashboardSettings {
  /** Shown in the header and the page titles. @default 'Tidehook' */
  productName: string;
  /** A hex colour (`#rgb` or `#rrggbb`) for buttons, links and focus rings. @default '#0f766e' */
  accentColor: string;
  /**
   * Origins allowed to show the dashboard in an iframe (CSP `frame-ancestors`), or `'self'`.
   * @default []: framing is refused everywhere
   */
  frameAncestors: string[];
  /**
   * Always mark the session cookie `Secure`. Without it, the cookie is `Secure` when the request came over https
   * or `PUBLIC_BASE_URL` is https. @default false
   */
  cookieSecure: boolean;
  /** Where the built assets are. @default `dist/dashboard` under the package root */
  assetsDir?: string;
}

export const DEFAULT_DASHBOARD_SETTINGS: DashboardSettings = {
  productName: 'Tidehook',
  accentColor: '#0f766e',
  frameAncestors: [],
  cookieSecure: false,
};
