import type { Stream } from '../api/types';
import { fakeApi, json, whoami, type Reply } from './fake-api';

/** An active webhook stream of acme's failed runs, delivered up to date; override what a spec needs. */
export function stream(overrides: Partial<Stream> = {}): Stream {
  return {
    id: '7e1a0000-0000-4000-8000-000000000001',
    tenantId: 'acme',
    name: 'siem',
    kind: 'webhook',
    url: 'https://siem.example.com/runtrail',
    filter: { entity_type: 'ActionRun', success: 'false' },
    from: 'now',
    state: 'active',
    createdAt: '2026-11-30T10:00:00.000Z',
    lastDeliveredAt: '2026-11-30T10:05:00.000Z',
    lastError: null,
    lagEntries: 0,
    ...overrides,
  };
}

/**
 * The streams routes over a list that pause, resume and delete change, as the query service's
 * do, so that a list read again shows them; `extra` adds routes or replaces these.
 */
export function streamsApi(initial: Stream[], scopes: Parameters<typeof whoami>[0] = { scopes: ['admin'] }, extra: Record<string, Reply> = {}) {
  let streams = [...initial];
  const act = (id: string, change: (s: Stream) => Stream): Response => {
    const found = streams.find((s) => s.id === id);
    if (!found) return json({ statusCode: 404, error: 'Not Found', message: `stream ${id} not found` }, { status: 404 });
    const changed = change(found);
    streams = streams.map((s) => (s.id === id ? changed : s));
    return json(changed);
  };
  const idOf = (url: URL) => url.pathname.split('/')[3] ?? '';
  return fakeApi({
    'GET /v1/whoami': json(whoami(scopes)),
    'GET /v1/streams': () => json(streams),
    'POST /v1/streams/*/pause': (_r, url) => act(idOf(url), (s) => ({ ...s, state: 'paused' })),
    'POST /v1/streams/*/resume': (_r, url) => act(idOf(url), (s) => ({ ...s, state: 'active' })),
    'POST /v1/streams/*/test': () => new Response(null, { status: 202 }),
    'DELETE /v1/streams/*': (_r, url) => {
      streams = streams.filter((s) => s.id !== idOf(url));
      return new Response(null, { status: 204 });
    },
    ...extra,
  });
}
