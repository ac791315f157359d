import createClient, { type Client } from 'openapi-fetch';
import { ApiError, NetworkError, apiErrorFrom } from './errors';
import type { ConsolePaths } from './types';

/** The typed client of the query service (same origin): every call the console makes goes through it. */
export type Api = Client<ConsolePaths>;

export interface ApiOptions {
  /** The bearer of every request: the signed-in key, or an embed link's viewer token. */
  bearer: () => string | null;
  /** Called on any 401 answer, before the caller sees the error. */
  onUnauthorized?: () => void;
  fetch?: (request: Request) => Promise<Response>;
  baseUrl?: string;
}

export function createApi(options: ApiOptions): Api {
  const client = createClient<ConsolePaths>({
    baseUrl: options.baseUrl ?? window.location.origin,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    onRequest({ request }) {
      const bearer = options.bearer();
      // A call may bring its own bearer (sign-in tries a key before keeping it).
      if (bearer && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${bearer}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return response;
    },
  });
  return client;
}

/** What openapi-fetch resolves to, whatever the route. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The answer's data, or an ApiError (any status but 2xx) or a NetworkError (no answer).
 * An aborted request rejects with its AbortError unchanged.
 */
export async function ok<T>(call: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    if (err instanceof ApiError) throw err;
    throw new NetworkError();
  }
  if (!result.response.ok) throw apiErrorFrom(result.response, result.error);
  return { data: result.data as T, response: result.response };
}
