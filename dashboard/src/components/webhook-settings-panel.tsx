import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Webhook, Written } from '../api/api-types';
import { useSession } from '../session/session-context';
import { Notice } from './notice';
import { SwitchField } from './switch-field';
import { ExactTime, TimeAgo } from './time-ago';

interface WebhookSettingsPanelProps {
  webhook: Webhook;
  onChanged: (webhook: Webhook) => void;
  onRegenerateSecret: () => void;
}

/** A webhook's settings at a glance, with the Enabled switch (a `PUT {enabled}` at each toggle). */
export function WebhookSettingsPanel({ webhook, onChanged, onRegenerateSecret }: WebhookSettingsPanelProps) {
  const { api } = useSession();
  const [error, setError] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const setEnabled = async (enabled: boolean) => {
    // The switch is not disabled meanwhile (a disabled control drops the keyboard focus): a toggle waits instead.
    if (saving) return;
    setSaving(true);
    setError(undefined);
    try {
      onChanged((await api.put<Written<Webhook>>(`/v1/webhooks/${webhook.id}`, { enabled })).data);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <SwitchField
        label="Enabled"
        name="enabled"
        checked={webhook.enabled}
        onChange={(enabled) => void setEnabled(enabled)}
        hint={
          webhook.enabled
            ? 'Events are delivered to this URL.'
            : 'No events are delivered; pending deliveries were cancelled.'
        }
      />
      {error && <Notice tone="error">{error.message}</Notice>}
      <dl class="facts">
        <dt>Events</dt>
        <dd>
          {webhook.events.map((type) => (
            <code key={type} class="chip">
              {type}
            </code>
          ))}
        </dd>
        <dt>Include machine events</dt>
        <dd>{webhook.include_machine_events ? 'Yes' : 'No'}</dd>
        <dt>Secret</dt>
        <dd>
          Shown only when created or regenerated.{' '}
          <button type="button" class="button-link" onClick={onRegenerateSecret}>
            Regenerate secret
          </button>
        </dd>
        <dt>Last called</dt>
        <dd>
          <TimeAgo iso={webhook.last_called_at} fallback="Never" />
        </dd>
        <dt>Created</dt>
        <dd>
          <ExactTime iso={webhook.created_at} />
        </dd>
        <dt>Webhook id</dt>
        <dd>
          <code>{webhook.id}</code>
        </dd>
      </dl>
    </section>
  );
}
