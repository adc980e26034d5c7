import { z } from 'zod';

/** `{message}`: every 401, 403, 404 and 409, and the answer of a delete. */
export const messageSchema = z.object({ message: z.string() }).strict();

/** 400: the same text twice, as `error` too, because Lettermint's Node SDK reads `body.error` on a 400. */
export const badRequestSchema = z.object({ message: z.string(), error: z.string() }).strict();

/** 422: the first message (plus a count of the others), and every message by field (`events.2`, `url`). */
export const validationErrorSchema = z
  .object({
    message: z.string(),
    errors: z.record(z.string(), z.array(z.string())),
  })
  .strict();

/** 409: the request clashes with the resource's state; an event id reused with other content also names the field. */
export const conflictSchema = z
  .object({
    message: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .strict();

/** What a delete answers; deleting a webhook, route or project also cancels their pending deliveries. */
export const deletedSchema = z
  .object({
    message: z.string(),
    cancelled_deliveries: z
      .number()
      .int()
      .meta({ description: 'Pending deliveries cancelled with it (their workflows are told in the background).' }),
  })
  .strict();
