/** An error from the course's own API: its message is written for the learner; status 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * A JSON request to the course's API, as every component makes it: never
 * cached, JSON in and out, and an error that carries the server's own
 * explanation (`{ error: { message } }`) or says plainly that it could not be
 * reached. 204 answers undefined.
 */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: init.body ? { 'content-type': 'application/json' } : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      'The course server could not be reached. Check that it is running, then try again.',
      0,
    );
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new ApiError(
      body?.error?.message ?? `The server answered ${response.status}.`,
      response.status,
    );
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}
