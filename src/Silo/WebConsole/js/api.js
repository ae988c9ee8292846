// The console's only way to the silo: the JSON API, with the session cookie. A change carries
// X-Aviary-Csrf: 1, which the silo wants from every cookie-authenticated POST/PUT/DELETE.

/** An answer the API refused: its status and, from the problem details, the field and rule. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.field = problem?.field;
    this.rule = problem?.rule;
  }
}

let onUnauthorized = () => {};

/** What to do when a call answers 401 (the session ended): show the login. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Aviary-Csrf'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/session') onUnauthorized();
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const del = (path) => api('DELETE', path);

/** Encodes one path segment (service names, run ids, keys). */
export const seg = (value) => encodeURIComponent(value);
