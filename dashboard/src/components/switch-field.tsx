import { useId } from 'preact/hooks';
import { FieldErrors } from './field-errors';

interface SwitchFieldProps {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  errors?: string[];
  disabled?: boolean;
}

/**
 * An on/off setting: a native checkbox with the switch role, so Space toggles it, forms and screen readers know
 * it, and it is drawn as a switch by CSS.
 */
export function SwitchField(props: SwitchFieldProps) {
  const id = useId();
  const errors = props.errors ?? [];
  const describedBy = [props.hint && `${id}-hint`, errors.length > 0 && `${id}-errors`].filter(Boolean).join(' ');
  return (
    <div class="field field-switch">
      <input
        id={id}
        name={props.name}
        type="checkbox"
        role="switch"
        class="switch"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={describedBy || undefined}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <div>
        <label for={id}>{props.label}</label>
        {props.hint && (
          <p class="hint" id={`${id}-hint`}>
            {props.hint}
          </p>
        )}
        <FieldErrors id={`${id}-errors`} messages={errors} />
      </div>
    </div>
  );
}
