import assert from 'node:assert/strict';
import type { ApiResponse } from './test-system';

/** Asserts the status; when it is another, the message shows the body, which says why. */
export function expectStatus(response: ApiResponse, status: number, what?: string): void {
  assert.equal(
    response.status,
    status,
    `${what ? `${what}: ` : ''}expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`,
  );
}

/**
 * Asserts a 422 with exactly these field errors. Given Laravel's summary `message` too ("The name field is
 * required. (and 1 more error)"), asserts the whole body: that message and the errors, nothing else.
 */
export function expectValidation(response: ApiResponse, errors: Record<string, string[]>, message?: string): void {
  expectStatus(response, 422);
  if (message === undefined) assert.deepEqual(response.body.errors, errors);
  else assert.deepEqual(response.body, { message, errors });
}
