import { requiredFlag, type CliCommand } from './cli-command';

function printDelivery(
  output: { out(line: string): void },
  delivery: { id: string; status: string; workflow_id: string; temporal_ui_url: string | null },
) {
  output.out(`delivery_id ${delivery.id}`);
  output.out(`status ${delivery.status}`);
  output.out(`workflow_id ${delivery.workflow_id}`);
  if (delivery.temporal_ui_url) output.out(`temporal_ui ${delivery.temporal_ui_url}`);
}

/** A command that POSTs one delivery action and prints the delivery it answers with. */
function deliveryAction(name: string, summary: string, action: 'replay' | 'cancel'): CliCommand {
  return {
    name,
    summary,
    usage: '--delivery <delivery id>',
    needs: 'api',
    options: { delivery: { type: 'string' } },
    async run(api, values, output) {
      const answer = await api.request(
        'POST',
        `/deliveries/${encodeURIComponent(requiredFlag(values, 'delivery'))}/${action}`,
      );
      printDelivery(output, answer.data);
      output.err(answer.message);
    },
  };
}

/** `replay --delivery <id>`: a new delivery of the same event to the same webhook, on the full schedule. */
export const replayCommand = deliveryAction(
  'replay',
  'Replay one finished delivery (same event id, same bytes, full schedule).',
  'replay',
);

/** `cancel --delivery <id>`: no further attempt; an attempt in flight finishes and is recorded. */
export const cancelCommand = deliveryAction('cancel', 'Cancel a pending delivery.', 'cancel');

/**
 * `retry --webhook <id> --attempt <attempt id>`: Lettermint's manual retry (README "Manual retry"): the delivery's next
 * attempt now, the schedule continuing after it; prints the attempt record it fills.
 */
export const retryCommand: CliCommand = {
  name: 'retry',
  summary: "Send the delivery of an attempt record again now, as its next attempt (Lettermint's manual retry).",
  usage: '--webhook <webhook id> --attempt <attempt id>',
  needs: 'api',
  options: { webhook: { type: 'string' }, attempt: { type: 'string' } },
  async run(api, values, output) {
    const webhook = encodeURIComponent(requiredFlag(values, 'webhook'));
    const attempt = encodeURIComponent(requiredFlag(values, 'attempt'));
    const answer = await api.request('POST', `/webhooks/${webhook}/deliveries/${attempt}/retry`);
    output.out(`attempt_id ${answer.delivery_id}`);
    output.err(answer.message);
  },
};

/** `show --delivery <id>`: the delivery, its attempts and where to find it in the Temporal Web UI. */
export const showCommand: CliCommand = {
  name: 'show',
  summary: 'Show a delivery with its attempts.',
  usage: '--delivery <delivery id>',
  needs: 'api',
  options: { delivery: { type: 'string' } },
  async run(api, values, output) {
    const delivery = await api.request('GET', `/deliveries/${encodeURIComponent(requiredFlag(values, 'delivery'))}`);
    printDelivery(output, delivery);
    output.out(`event ${delivery.event_type} ${delivery.event_id}`);
    output.out(`next_attempt_at ${delivery.next_attempt_at ?? '-'}`);
    for (const attempt of delivery.attempts as Array<{
      attempt_number: number;
      status: string;
      http_status_code: number | null;
      duration_ms: number | null;
      delivered_at: string | null;
    }>) {
      output.out(
        `attempt ${attempt.attempt_number} ${attempt.status} ${attempt.http_status_code ?? '-'} ${attempt.duration_ms ?? '-'}ms ${attempt.delivered_at ?? ''}`.trimEnd(),
      );
    }
  },
};
