// The public API, and nothing else: GET JSON from /api/v1, turn problem+json into ApiError.
// The browser's HTTP cache handles ETag / If-None-Match by itself: a repeated GET is a cheap 304.

export const API = '/api/v1';

/** An error the API reported as an RFC 9457 problem document (or a network failure). */
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'Error');
    this.problem = problem; // {type, title, status, detail, instance, ...}
    this.status = problem.status || 0;
  }
}

/** Build `/api/v1/<path>?<params>`, dropping empty parameters. */
export function apiUrl(path, params = {}) {
  const url = new URL(API + path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  return url.pathname + url.search;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET a JSON resource. Throws ApiError (with the problem document) on any failure.
 * A 429 (rate limited) is retried once after its Retry-After, when that is short.
 */
export async function getJSON(path, params = {}, { signal, retry = true } = {}) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' }, signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError({ title: '无法连接服务器', detail: '请检查网络后重试。', status: 0 });
  }
  const wait = Number(response.headers.get('Retry-After'));
  if (response.status === 429 && retry && wait >= 0 && wait <= 10) {
    await sleep(wait * 1000);
    return getJSON(path, params, { signal, retry: false });
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(body && body.type ? body : { title: response.statusText, status: response.status });
  }
  return body;
}

/** Every item of a paginated list: follows `next_cursor` until the last page. */
export async function getAll(path, params = {}) {
  const items = [];
  let cursor;
  do {
    const page = await getJSON(path, { ...params, cursor });
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Run `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
