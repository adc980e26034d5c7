import { useId } from 'preact/hooks';
import { FieldErrors } from './field-errors';

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'url' | 'password' | 'number' | 'date' | 'datetime-local';
  hint?: string;
  errors?: string[];
  placeholder?: string;
  autoComplete?: string;
  required?: boolean;
}

/** A labelled input with its hint and the API's errors for it, both announced with the control. */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const errors = props.errors ?? [];
  const describedBy = [props.hint && `${id}-hint`, errors.length > 0 && `${id}-errors`].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        // Preact's types tell inputs apart by one literal `type`; any of ours takes these same attributes.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      <FieldErrors id={`${id}-errors`} messages={errors} />
    </div>
  );
}
