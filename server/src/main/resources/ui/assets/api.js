// The one way the page talks to the server: the public API, authenticated by the session cookie.

/** An API error with the server's code and message (and the HTTP status). */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

/** Calls the API; state-changing calls carry the CSRF header the server requires with cookies. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Trailbook-CSRF'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and press Refresh.');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below
  }
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `The server answered ${res.status}.`, err?.details);
  }
  if (json === null && text) throw new ApiError(res.status, 'bad_response', 'The server sent an answer the page cannot read.');
  return json;
}

/** What to tell the person for an API error. */
export function explain(e) {
  if (e.status === 401) return 'Your session has expired. Open the Activity Log again from your application.';
  if (e.status === 403) return `Access denied: ${e.message}`;
  if (e.status === 429) return 'Too many requests right now. Wait a moment, then press Refresh.';
  if (e.status >= 500) return `The server had a problem (${e.message}). Press Refresh to try again.`;
  return e.message;
}
