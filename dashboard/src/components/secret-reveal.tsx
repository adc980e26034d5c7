import { useId } from 'preact/hooks';
import { CopyButton } from './copy-button';

/** A new signing secret, shown the one time the API answers it, with the warning that it will not come back. */
export function SecretReveal({ secret }: { secret: string }) {
  const id = useId();
  return (
    <div class="secret-reveal">
      <p class="warning" id={`${id}-warning`}>
        <strong>Copy this secret now.</strong> It will not be shown again: only a new secret can replace it.
      </p>
      <label for={id}>Signing secret</label>
      <div class="secret-row">
        <input
          id={id}
          class="secret-value"
          type="text"
          readOnly
          value={secret}
          aria-describedby={`${id}-warning`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={secret} label="Copy secret" />
      </div>
    </div>
  );
}
