import { parseRetryAfter } from '@runtrail/platform/retry';
import { DeliveryError } from './delivery-target';

export interface HttpDelivery {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Most of a receiver's error answer kept in `lastError`: enough to recognise it, never a whole page. */
const ERROR_BODY_CHARS = 200;

/**
 * POSTs one delivery. A 2xx answer is success; anything else, a timeout or a refused
 * connection is a DeliveryError, with the receiver's Retry-After when it gave one (429, 503).
 * Redirects are not followed: a stream delivers to the URL it was given.
 */
export async function postDelivery({ url, headers, body, timeoutMs }: HttpDelivery): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'user-agent': 'runtrail-stream', ...headers }, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new DeliveryError(`${url.host}: ${why}`);
  }
  if (res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return;
  }
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, ERROR_BODY_CHARS);
  // A Retry-After of 0 (or a date gone by) asks for no wait at all: the backoff decides then, so a receiver cannot make a tight loop.
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  throw new DeliveryError(`${url.host} answered ${res.status}${text ? `: ${text}` : ''}`, retryAfter ? retryAfter : undefined);
}
