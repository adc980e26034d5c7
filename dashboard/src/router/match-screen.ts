import { BASE_PATH } from './paths';

/** Which screen an address shows, with the ids it names. */
export type Screen =
  | { name: 'projects' }
  | { name: 'project'; projectId: string }
  | { name: 'route'; routeId: string; tab: 'webhooks' | 'settings' }
  | { name: 'webhook'; webhookId: string }
  | { name: 'attempt'; webhookId: string; attemptId: string }
  | { name: 'delivery'; deliveryId: string }
  | { name: 'not-found' };

const SEGMENT = '([^/]+)';
const SCREENS: Array<[RegExp, (ids: string[]) => Screen]> = [
  [/^\/?$/, () => ({ name: 'projects' })],
  [new RegExp(`^/projects/${SEGMENT}$`), ([projectId]) => ({ name: 'project', projectId: projectId! })],
  [new RegExp(`^/routes/${SEGMENT}$`), ([routeId]) => ({ name: 'route', routeId: routeId!, tab: 'webhooks' })],
  [new RegExp(`^/routes/${SEGMENT}/settings$`), ([routeId]) => ({ name: 'route', routeId: routeId!, tab: 'settings' })],
  [new RegExp(`^/webhooks/${SEGMENT}$`), ([webhookId]) => ({ name: 'webhook', webhookId: webhookId! })],
  [
    new RegExp(`^/webhooks/${SEGMENT}/attempts/${SEGMENT}$`),
    ([webhookId, attemptId]) => ({ name: 'attempt', webhookId: webhookId!, attemptId: attemptId! }),
  ],
  [new RegExp(`^/deliveries/${SEGMENT}$`), ([deliveryId]) => ({ name: 'delivery', deliveryId: deliveryId! })],
];

export function matchScreen(pathname: string): Screen {
  if (!pathname.startsWith(BASE_PATH)) return { name: 'not-found' };
  const rest = pathname.slice(BASE_PATH.length).replace(/\/$/, '');
  for (const [pattern, screen] of SCREENS) {
    const match = pattern.exec(rest);
    if (match) return screen(match.slice(1).map(decodeURIComponent));
  }
  return { name: 'not-found' };
}
