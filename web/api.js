// Calls to the JSON admin API. Every failure becomes an ApiError that carries the API's own
// message, code and per-field problems, so pages can show them as they are.

export const apiBase = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server returned status ${status} without an error message.`);
    this.status = status;
    this.code = body?.code ?? 'http_error';
    this.details = body?.details ?? {};
    this.fields = Array.isArray(body?.details?.fields) ? body.details.fields : [];
  }
}

// The login sets the htek_csrf cookie. The page sends its value with every state-changing
// request, and the server compares it with the session's token.
const csrfCookie = 'htek_csrf';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Event dispatched on window when the API returns 401, so the app shows the login form. */
export const signInRequiredEvent = 'htek-sign-in-required';

function csrfToken() {
  const entry = document.cookie.split('; ').find((cookie) => cookie.startsWith(`${csrfCookie}=`));
  return entry === undefined ? undefined : decodeURIComponent(entry.slice(csrfCookie.length + 1));
}

/** Returns the headers a request needs: accept, and the CSRF token for state-changing methods. */
function requestHeaders(method) {
  const headers = { accept: 'application/json' };
  const token = csrfToken();
  if (!safeMethods.has(method.toUpperCase()) && token) headers['x-csrf-token'] = token;
  return headers;
}

function reportSignInRequired(status) {
  if (status === 401) dispatchEvent(new CustomEvent(signInRequiredEvent));
}

/** Sends a JSON request and returns the parsed body; throws ApiError on any non-2xx status. */
export async function api(method, path, body) {
  const init = { method, headers: requestHeaders(method) };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(apiBase + path, init);
  } catch (error) {
    throw new ApiError(0, { code: 'network_error', message: `The server could not be reached (${error.message}). Check that htek-dms is running.` });
  }

  const text = await response.text();
  const parsed = parseJson(text);
  if (!response.ok) {
    // The login's own 401 (wrong password) is shown by the login form, not as a new sign-in.
    if (path !== '/auth/login') reportSignInRequired(response.status);
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

function parseJson(text) {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

/** Builds a query string from the non-empty values of an object. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  return search.toString();
}

/** Maps `details.fields` of a validation error to `{ field: message }`. */
export function fieldErrors(error) {
  const byField = {};
  for (const problem of error?.fields ?? []) {
    const field = String(problem.field ?? '').replace(/^\//, '');
    byField[field] = byField[field] ? `${byField[field]}; ${problem.message}` : problem.message;
  }
  return byField;
}

/**
 * Fetches a file from the API and hands it to the browser as a download. The file is fetched
 * first so that an error response is shown as a message instead of being saved as a file.
 */
export async function downloadFile(path, fallbackName) {
  const response = await fetch(apiBase + path, { headers: requestHeaders('GET') });
  if (!response.ok) {
    reportSignInRequired(response.status);
    throw new ApiError(response.status, parseJson(await response.text()));
  }

  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;

  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return { name, size: blob.size };
}

/**
 * Uploads one file as multipart field `file` and reports upload progress (0..1). XMLHttpRequest
 * is used because fetch has no upload progress events.
 */
export function uploadFile(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', apiBase + path);
    for (const [name, value] of Object.entries(requestHeaders('POST'))) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = parseJson(request.responseText);
      if (request.status >= 200 && request.status < 300) return resolve(body);
      reportSignInRequired(request.status);
      reject(new ApiError(request.status, body));
    };
    request.onerror = () => reject(new ApiError(0, { code: 'network_error', message: 'The upload failed because the server could not be reached.' }));

    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}

/** Signs in; the server sets the session and CSRF cookies. Returns the user and their permissions. */
export async function signIn(username, password) {
  const { user } = await api('POST', '/auth/login', { username, password });
  return user;
}

/** Ends the session of the cookie. */
export async function signOut() {
  await api('POST', '/auth/logout');
}

/** Returns the signed-in user, or null when no session is open. */
export async function currentUser() {
  try {
    return (await api('GET', '/auth/me')).user;
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}
