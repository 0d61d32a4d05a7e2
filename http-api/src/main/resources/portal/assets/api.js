// The portal's only way to the server: /api/v1 with the operator's API key from this tab's session storage.
const KEY = 'entra-backup.api-key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** An API error with the problem document's words, for the page to show. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${session.key()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch { json = { detail: text }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/**
 * An API path (after /api/v1) built from a template whose every interpolated value is encoded as one path segment or
 * query value: tenant ids, types and object ids come from data and the URL, so a value holding '/', '?', '#' or '..'
 * must not reach another route. Use it for every path with a value in it: get(apiPath`/tenants/${id}`).
 */
export function apiPath(strings, ...values) {
  return strings.reduce((path, text, i) => path + text + (i < values.length ? segment(values[i]) : ''), '');
}

/** '.' and '..' survive encodeURIComponent and a browser resolves them as steps up the path: never an id. */
function segment(value) {
  const text = String(value);
  if (text === '.' || text === '..') throw new Error(`'${text}' cannot be part of an API path`);
  return encodeURIComponent(text);
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
