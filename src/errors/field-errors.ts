/** Field name (`route_id`, `events.2`) → messages, as Lettermint's 422 bodies carry them. */
export type FieldErrors = Record<string, string[]>;

/** Laravel's style, which Lettermint follows: the first message, plus "(and N more errors)". */
export function summarizeFieldErrors(errors: FieldErrors): string {
  const messages = Object.values(errors).flat();
  const first = messages[0] ?? 'The given data was invalid.';
  const more = messages.length - 1;
  return more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first;
}
