import type { AttemptStatus } from '../workflows/attempt-result';

/** Maps an HTTP status code to the attempt status; 1xx and 3xx (redirects are not followed) count as `failed`. */
export function classifyHttpStatus(code: number): AttemptStatus {
  if (code >= 200 && code <= 299) return 'success';
  if (code >= 400 && code <= 499) return 'client_error';
  if (code >= 500 && code <= 599) return 'server_error';
  return 'failed';
}
