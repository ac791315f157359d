import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Scope } from '@runtrail/contracts';
import { ForbiddenError } from '@runtrail/platform';
import type { IncomingHttpHeaders } from 'node:http';
import { Authenticator } from './authenticator';
import { ApiRateLimit } from './rate-limit';
import { ALLOW_VIEWER, REQUIRED_RUNNER, REQUIRED_SCOPES, type AuthenticatedRequest } from './require-scopes.decorator';

/**
 * Global guard: routes marked with @RequireScopes need a valid key holding those
 * scopes (401 / 403), @RequireAnyKey any valid key but no runner token; routes marked
 * with @RequireRunner need a runner token; a viewer token only passes routes marked
 * @AllowViewer; unmarked routes (health, metrics, docs) are public. Once the caller is
 * known, its key's and tenant's rate limits apply (429), before the scope check, so a key
 * hammering a route it may not use is slowed down too; unauthenticated calls fail with
 * 401 before that.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly rateLimit: ApiRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets);
    const runnerOnly = this.reflector.getAllAndOverride<boolean | undefined>(REQUIRED_RUNNER, targets);
    if (!required && !runnerOnly) return true;
    const req = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders } & AuthenticatedRequest>();
    const auth = await this.authenticator.authenticate(req.headers.authorization);
    this.rateLimit.check(auth);
    if (auth.viewer && !this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_VIEWER, targets)) {
      throw new ForbiddenError('a viewer token may only read the audit timeline (GET /v1/audit) and call GET /v1/whoami');
    }
    if (runnerOnly) {
      if (!auth.runnerId) throw new ForbiddenError('only a runner token may use this endpoint');
      req.auth = auth;
      return true;
    }
    // A route open to any key (no scope named) is still no runner's.
    if (required?.length === 0 && auth.runnerId) throw new ForbiddenError('a runner token may not use this endpoint');
    const missing = (required ?? []).filter((s) => !auth.scopes.includes(s));
    if (missing.length) throw new ForbiddenError(`API key lacks scope ${missing.join(', ')}`);
    req.auth = auth;
    return true;
  }
}
