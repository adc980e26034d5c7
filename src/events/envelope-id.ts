/**
 * What an envelope id may be (SPEC §4): a caller-supplied one is checked against it, and the generated ones (UUIDs,
 * `test-<uuid>`) match it too. It travels in `webhook-id` and in URLs and log lines, where anything wider would
 * need escaping or could split a header.
 */
export const ENVELOPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
