/**
 * A payload or response body, as text: Preact sets it as a text node, so a body full of markup shows its
 * markup and never runs it. JSON is indented for reading; anything else is shown exactly as received.
 */
export function CodeBlock({ text, label }: { text: string | null; label: string }) {
  if (text === null || text === '') return <p class="muted">Empty.</p>;
  return (
    <pre class="code" tabIndex={0} aria-label={label}>
      <code>{prettyIfJson(text)}</code>
    </pre>
  );
}

function prettyIfJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
