import { useState } from 'preact/hooks';

/**
 * Copies `text` to the clipboard. Where the browser refuses (an iframe without clipboard permission), it says so,
 * and the value stays selectable in its field.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('refused');
    }
  };
  return (
    <>
      <button type="button" class="button" onClick={copy}>
        {label}
      </button>
      <span role="status" class="copy-status">
        {state === 'copied'
          ? 'Copied.'
          : state === 'refused'
            ? 'Copying is blocked here: select the text and copy it.'
            : ''}
      </span>
    </>
  );
}
