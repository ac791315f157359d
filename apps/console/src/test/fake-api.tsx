import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { ConsoleApp } from '../app';
import type { Whoami } from '../api/types';
import { API_KEY_STORAGE_KEY } from '../auth/session';

export type Reply = Response | ((request: Request, url: URL) => Response | Promise<Response>);

/** A JSON answer as the query service gives it. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...init.headers },
  });
}

export function apiError(status: number, message: string | string[], headers: Record<string, string> = {}): Response {
  return json({ statusCode: status, error: 'Error', message }, { status, headers });
}

/**
 * A stand-in for the query service: routes are `METHOD /path` (path parameters as `*`),
 * each a Response or a function of the request; every request is recorded.
 */
export function fakeApi(routes: Record<string, Reply>) {
  const requests: { method: string; url: URL; authorization: string | null; body: Promise<string> }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url, authorization: request.headers.get('Authorization'), body: request.clone().text() });
    const match = Object.entries(routes).find(([route]) => {
      const [method, path = ''] = route.split(' ');
      const pattern = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`);
      return method === request.method && pattern.test(url.pathname);
    });
    if (!match) return apiError(404, `no fake route for ${request.method} ${url.pathname}`);
    const reply = match[1];
    return typeof reply === 'function' ? reply(request, url) : reply.clone();
  };
  const calls = (method: string, pathname: string) => requests.filter((r) => r.method === method && r.url.pathname === pathname);
  return { fetch, requests, calls };
}

export const WHOAMI_BASE: Whoami = {
  kind: 'key',
  keyId: '3f0c2a55-0000-4000-8000-000000000001',
  name: 'auditor',
  tenantId: 'acme',
  principalType: 'User',
  scopes: ['audit:read'],
  expiresAt: null,
  sourceId: null,
};

export const whoami = (overrides: Partial<Whoami> = {}): Whoami => ({ ...WHOAMI_BASE, ...overrides });

function Location() {
  const location = useLocation();
  return <div data-testid="location">{`${location.pathname}${location.search}`}</div>;
}

/** The console at `path`, signed in with `key` (when given), against a fake API. */
export function renderConsole(path: string, fetch: (request: Request) => Promise<Response>, key: string | null = 'rt_test') {
  if (key) sessionStorage.setItem(API_KEY_STORAGE_KEY, key);
  return render(
    <MemoryRouter initialEntries={[path]}>
      <ConsoleApp fetch={fetch} />
      <Location />
    </MemoryRouter>,
  );
}
