import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { EventTypeChecklist } from './event-type-checklist';
import { Notice } from './notice';
import { SwitchField } from './switch-field';
import { TextField } from './text-field';

export interface WebhookFormValues {
  name: string;
  url: string;
  events: string[];
  include_machine_events: boolean;
  enabled: boolean;
}

interface WebhookFormProps {
  initial: WebhookFormValues;
  submitLabel: string;
  onSubmit: (values: WebhookFormValues) => Promise<void>;
  onCancel: () => void;
}

/**
 * The five fields of Lettermint's form. The browser does not validate them (`noValidate`): the API is the one
 * judge, and its messages appear at the field they concern.
 */
export function WebhookForm({ initial, submitLabel, onSubmit, onCancel }: WebhookFormProps) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // After a refusal the focus goes to the first field the API named, so the reader lands on what to fix.
  useEffect(() => {
    if (!error) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"] input, input[aria-invalid="true"]');
    invalid?.focus();
  }, [error]);
  const set =
    <K extends keyof WebhookFormValues>(key: K) =>
    (value: WebhookFormValues[K]) =>
      setValues((previous) => ({ ...previous, [key]: value }));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit({ ...values, name: values.name.trim(), url: values.url.trim() });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  const known = ['name', 'url', 'events', 'include_machine_events', 'enabled'];
  const otherErrors = error
    ? Object.entries(error.fieldErrors)
        .filter(([field]) => !known.some((name) => field === name || field.startsWith(`${name}.`)))
        .flatMap(([, messages]) => messages)
    : [];
  return (
    <form class="form" noValidate onSubmit={submit} ref={form}>
      {error && (
        <Notice tone="error">
          {Object.keys(error.fieldErrors).length > 0 ? 'Please correct the fields below.' : error.message}
          {otherErrors.map((message, index) => (
            <div key={index}>{message}</div>
          ))}
        </Notice>
      )}
      <TextField
        label="Name"
        name="name"
        required
        value={values.name}
        onInput={set('name')}
        placeholder="Production Events"
        errors={error?.forField('name')}
      />
      <TextField
        label="URL"
        name="url"
        type="url"
        required
        value={values.url}
        onInput={set('url')}
        placeholder="https://api.example.com/webhooks/lettermint"
        hint="The HTTPS endpoint each event is POSTed to."
        errors={error?.forField('url')}
      />
      <EventTypeChecklist selected={values.events} onChange={set('events')} errors={error?.forField('events')} />
      <SwitchField
        label="Include machine events"
        name="include_machine_events"
        checked={values.include_machine_events}
        onChange={set('include_machine_events')}
        hint="Also deliver opens and clicks caused by bots, privacy proxies and scanners."
        errors={error?.forField('include_machine_events')}
      />
      <SwitchField
        label="Enabled"
        name="enabled"
        checked={values.enabled}
        onChange={set('enabled')}
        hint="Keep on to start receiving events."
        errors={error?.forField('enabled')}
      />
      <div class="form-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
