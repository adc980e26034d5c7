/** A refused or failed request, as the API explained it: `message`, and for a 422 the messages of each field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }

  /** Messages of a field and of its items (`events`, `events.0`, …), which the form shows at one place. */
  forField(field: string): string[] {
    return Object.entries(this.fieldErrors)
      .filter(([name]) => name === field || name.startsWith(`${field}.`))
      .flatMap(([, messages]) => messages);
  }
}
