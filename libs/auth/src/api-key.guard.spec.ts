import { Controller, Get, Post, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { ForbiddenError, Metrics, RateLimitedError } from '@runtrail/platform';
import { ApiKeyGuard } from './api-key.guard';
import type { AuthContext } from './auth-context';
import type { Authenticator } from './authenticator';
import { ApiRateLimit } from './rate-limit';
import { RateLimiter } from './rate-limiter';
import { AllowViewer, RequireAnyKey, RequireRunner, RequireScopes, type AuthenticatedRequest } from './require-scopes.decorator';

@Controller()
class Routes {
  @Get() @RequireScopes('audit:read') @AllowViewer() timeline() { return null; }
  @Get() @RequireScopes('audit:read') runs() { return null; }
  @Post() @RequireScopes('admin') createKey() { return null; }
  @Get() @RequireAnyKey() @AllowViewer() whoami() { return null; }
  @Get() @RequireAnyKey() anyKey() { return null; }
  @Post() @RequireRunner() heartbeat() { return null; }
  @Get() health() { return null; }
}

const viewer: AuthContext = {
  keyId: 'v1',
  tenantId: 'acme',
  principal: { type: 'Application', id: 'v1', name: 'viewer' },
  scopes: ['audit:read'],
  viewer: { sourceId: null },
};
const runner: AuthContext = { keyId: 'r1', tenantId: 'acme', principal: { type: 'Application', id: 'r1', name: 'r' }, scopes: ['events:write'], runnerId: 'r1' };
const key: AuthContext = { keyId: 'k1', tenantId: 'acme', principal: { type: 'User', id: 'k1', name: 'alice' }, scopes: ['audit:read'] };

/** Which callers each kind of route lets through; the authenticator is a stand-in that returns the given caller. */
describe('ApiKeyGuard', () => {
  const unlimited = () => new ApiRateLimit(new RateLimiter({ key: null, tenant: null }), new Metrics('guard-spec'));
  const call = (caller: AuthContext, route: keyof Routes, limit = unlimited()) => {
    const guard = new ApiKeyGuard(new Reflector(), { authenticate: async () => caller } as unknown as Authenticator, limit);
    const req: AuthenticatedRequest & { headers: Record<string, string> } = { headers: { authorization: 'Bearer x' } };
    const context = {
      getHandler: () => Routes.prototype[route],
      getClass: () => Routes as Type,
      switchToHttp: () => ({ getRequest: () => req }),
    } as unknown as ExecutionContext;
    return guard.canActivate(context).then((ok) => ({ ok, auth: req.auth }));
  };

  it('lets a viewer token through only the routes marked @AllowViewer', async () => {
    await expect(call(viewer, 'timeline')).resolves.toEqual({ ok: true, auth: viewer });
    await expect(call(viewer, 'whoami')).resolves.toEqual({ ok: true, auth: viewer });
    for (const route of ['runs', 'createKey', 'anyKey', 'heartbeat'] as const) {
      await expect(call(viewer, route)).rejects.toThrow(
        new ForbiddenError('a viewer token may only read the audit timeline (GET /v1/audit) and call GET /v1/whoami'),
      );
    }
  });

  it('refuses a runner token on a route open to any key, and only a runner passes a runner route', async () => {
    await expect(call(runner, 'anyKey')).rejects.toThrow(new ForbiddenError('a runner token may not use this endpoint'));
    await expect(call(runner, 'whoami')).rejects.toThrow(ForbiddenError);
    await expect(call(runner, 'heartbeat')).resolves.toMatchObject({ ok: true });
    await expect(call(key, 'heartbeat')).rejects.toThrow(new ForbiddenError('only a runner token may use this endpoint'));
  });

  it('lets any key through a route open to any key, and checks scopes elsewhere', async () => {
    await expect(call(key, 'anyKey')).resolves.toMatchObject({ ok: true });
    await expect(call(key, 'runs')).resolves.toMatchObject({ ok: true });
    await expect(call(key, 'createKey')).rejects.toThrow(new ForbiddenError('API key lacks scope admin'));
  });

  it('leaves unmarked routes public', async () => {
    await expect(call(viewer, 'health')).resolves.toEqual({ ok: true, auth: undefined });
  });

  it("spends a viewer token's rate limit like a key's, refused routes included", async () => {
    const limit = new ApiRateLimit(new RateLimiter({ key: { perSecond: 1, burst: 2 }, tenant: null }), new Metrics('guard-spec'));
    await expect(call(viewer, 'timeline', limit)).resolves.toMatchObject({ ok: true });
    await expect(call(viewer, 'runs', limit)).rejects.toThrow(ForbiddenError);
    await expect(call(viewer, 'timeline', limit)).rejects.toThrow(RateLimitedError);
  });
});
