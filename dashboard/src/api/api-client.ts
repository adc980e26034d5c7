import { ApiError } from './api-error';

/** The header the API checks on every unsafe request made with the session cookie. */
const CSRF_HEADER = 'X-CSRF-Token';

/**
 * Calls the same `/v1` endpoints any client calls, authenticated by the session cookie the browser sends (the
 * page never holds the API token). Unsafe requests carry the session's CSRF token, kept only in memory.
 */
export class ApiClient {
  private csrfToken: string | undefined;

  /** @param onSignedOut called when the API answers 401: the session ended, the page asks for the token again. */
  constructor(private readonly onSignedOut: () => void) {}

  useCsrfToken(token: string | undefined): void {
    this.csrfToken = token;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers[CSRF_HEADER] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check the connection and try again.');
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      if (response.status === 401 && path.startsWith('/v1/')) this.onSignedOut();
      const answer = (json ?? {}) as { message?: unknown; errors?: unknown };
      throw new ApiError(
        response.status,
        typeof answer.message === 'string' ? answer.message : `The server answered ${response.status}.`,
        isFieldErrors(answer.errors) ? answer.errors : {},
      );
    }
    return json as T;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isFieldErrors(value: unknown): value is Record<string, string[]> {
  return typeof value === 'object' && value !== null && Object.values(value).every(Array.isArray);
}
