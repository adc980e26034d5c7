import type { Express } from 'express';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: string;
  slash?: boolean;
}

/**
 * Every route an Express app serves, as `METHOD /path/{param}` (OpenAPI's spelling), found by walking its router
 * stack: what a test compares the API reference with.
 */
export function servedRoutes(app: Express): string[] {
  const found: string[] = [];
  const visit = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle?.stack) {
        visit(layer.handle.stack, layer.slash ? prefix : `${prefix}${layer.rawPath ?? ''}`);
      }
    }
  };
  visit((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found.map((route) => route.replace(/:(\w+)/g, '{$1}'));
}
