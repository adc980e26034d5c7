import type { DashboardManifest } from './dashboard-assets';

/**
 * The one HTML page of the dashboard: every screen is drawn by the script from `/v1` answers. The product name is
 * the only value it carries, escaped; the script reads it from the meta tag (no inline script, as the CSP wants).
 */
export function dashboardShell(manifest: DashboardManifest, productName: string): string {
  const name = escapeHtml(productName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="tidehook-product-name" content="${name}">
<title>${name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/${manifest.style}">
<link rel="stylesheet" href="/dashboard/theme.css">
<script type="module" src="/dashboard/${manifest.script}"></script>
</head>
<body>
<div id="app"><p class="boot">Loading ${name}…</p><noscript>The dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
