import { z } from 'zod';

/** RFC 7617 §2: neither the user-id nor the password may contain control characters (C0, DEL, and C1 too). */
const CONTROL_CHARACTER = /\p{Cc}/u;
export const MAX_BASIC_AUTH_LENGTH = 255;

function credentialText(field: string) {
  return z
    .string()
    .max(MAX_BASIC_AUTH_LENGTH)
    .refine((text) => !CONTROL_CHARACTER.test(text), {
      message: `The ${field} field must not contain control characters.`,
    });
}

/**
 * Write-only Basic Auth for the receiver, as Lettermint's newer API takes it: an object sets (or replaces) it,
 * `null` removes it, and on update an omitted field keeps it. No answer ever shows it, only `has_basic_auth`.
 */
export const basicAuthField = z
  .object({
    username: credentialText('basic auth.username')
      .min(1)
      .refine((text) => !text.includes(':'), {
        message: 'The basic auth.username field must not contain a colon (RFC 7617).',
      })
      .meta({ description: 'Not empty, no `:` (RFC 7617 forbids it in the user-id), no control characters.' }),
    password: credentialText('basic auth.password').meta({
      description:
        'May be empty (RFC 7617 allows it; some receivers take a token as the user name); no control characters.',
    }),
  })
  .strict()
  .nullish()
  .meta({
    description:
      'Sent with every attempt (tests, retries and replays too) as `Authorization: Basic base64(username:password)`. ' +
      'Write-only: stored encrypted like the secret; answers show only `has_basic_auth`, and attempt records show ' +
      '`Basic [redacted]`. `null` removes it; omitted on update, it is kept.',
  });
