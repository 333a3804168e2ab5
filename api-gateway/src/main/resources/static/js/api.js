// The API, with the key in the Authorization header of every request: never in a URL, so never in a log or in the
// browser's history. The key lives in sessionStorage only: gone when the tab closes.

const KEY = 'stowage.key';
const ME = 'stowage.me';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  me: () => JSON.parse(sessionStorage.getItem(ME) || 'null'),
  isAdmin: () => session.me()?.role === 'ADMIN',
  start(key, me) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ME, JSON.stringify(me));
  },
  end() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ME);
  },
};

/** Called when the API refuses the key (revoked, or the gateway restarted without it). */
let onUnauthorized = () => {};
export function whenUnauthorized(action) {
  onUnauthorized = action;
}

/** For requests made outside this module (the event stream): the key was refused. */
export function refused() {
  onUnauthorized();
}

export function authorization(key = session.key()) {
  return {Authorization: `Bearer ${key}`};
}

/** The problem's detail (RFC 9457) or the status line, as the error's message. */
async function failure(response, sessionKey = true) {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    if (problem && problem.detail) detail = problem.detail;
  } catch {
    // not JSON: the status line it is
  }
  if (response.status === 401 && sessionKey) onUnauthorized();
  return new ApiError(response.status, detail);
}

/** GET (or another method) of a JSON resource; rejects with an ApiError carrying the problem's detail. */
export async function api(path, {method = 'GET', key, signal} = {}) {
  const response = await fetch(path, {
    method,
    headers: {...authorization(key), Accept: 'application/json'},
    signal,
    cache: 'no-store',
  });
  if (!response.ok) throw await failure(response, !key);
  return response.status === 204 ? null : response.json();
}

/** Downloads a resource with the key in the header, then hands it to the browser as a file. */
export async function download(path, fileName) {
  const response = await fetch(path, {headers: authorization(), cache: 'no-store'});
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Uploads files as one job with XMLHttpRequest, whose upload events (unlike fetch's) tell how much was sent.
 * Resolves with the accepted job.
 */
export function upload(files, dataset, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    if (dataset) form.append('dataset', dataset);
    for (const file of files) form.append('files', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/jobs');
    request.setRequestHeader('Authorization', authorization().Authorization);
    request.setRequestHeader('Accept', 'application/json');
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener('load', () => {
      if (request.status === 202) {
        resolve(request.response);
        return;
      }
      if (request.status === 401) onUnauthorized();
      const detail = request.response?.detail || `${request.status} ${request.statusText}`;
      reject(new ApiError(request.status, detail));
    });
    request.addEventListener('error', () => reject(new ApiError(0, 'The upload failed: the connection was lost.')));
    request.send(form);
  });
}
