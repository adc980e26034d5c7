/** Every event type a webhook can subscribe to, as Lettermint names them. */
export const EVENT_TYPES = [
  'message.created',
  'message.sent',
  'message.delivered',
  'message.auto_replied',
  'message.hard_bounced',
  'message.soft_bounced',
  'message.spam_complaint',
  'message.failed',
  'message.suppressed',
  'message.unsubscribed',
  'message.opened',
  'message.clicked',
  'message.inbound',
  'message.policy_rejected',
  'message.scheduled',
  'message.rescheduled',
  'message.canceled',
  'message.released',
  'suppression.added',
  'suppression.removed',
  'webhook.test',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Engagement events that bots, privacy proxies and scanners also cause. */
const MACHINE_OBSERVABLE_EVENTS: ReadonlySet<string> = new Set(['message.opened', 'message.clicked']);

/** True when the event is a machine's open or click, which only webhooks with `include_machine_events` receive. */
export function isMachineEvent(eventType: string, data: unknown): boolean {
  if (!MACHINE_OBSERVABLE_EVENTS.has(eventType)) return false;
  const bot = (data as { bot?: { machine?: unknown } } | null)?.bot;
  return typeof bot === 'object' && bot !== null && bot.machine === true;
}
