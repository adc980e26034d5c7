import type { RequestHandler } from 'express';

/**
 * Headers of every dashboard response. The CSP allows only the project's own scripts and styles (no inline code,
 * no CDN), so markup injected through a customer's value could not run even if some screen failed to escape it.
 * `frame-ancestors` lets only the configured origins put the dashboard in an iframe.
 */
export function dashboardSecurityHeaders(frameAncestors: readonly string[]): RequestHandler {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  // For browsers that predate frame-ancestors; it cannot express a list of origins, so only the default says it.
  if (frameAncestors.length === 0) headers['X-Frame-Options'] = 'DENY';
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
