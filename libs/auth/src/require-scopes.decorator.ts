import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from '@runtrail/contracts';
import type { AuthContext } from './auth-context';

export const REQUIRED_SCOPES = 'runtrail:required-scopes';

/** Marks a route as authenticated, needing every listed scope. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/**
 * Marks a route as open to any valid API key or the root key, whatever its scopes.
 * A runner token is refused (403): it may only report runs and use its own routes.
 */
export const RequireAnyKey = () => SetMetadata(REQUIRED_SCOPES, []);

export const ALLOW_VIEWER = 'runtrail:allow-viewer';

/**
 * Lets a viewer token (`rtv_`) use the route, besides the keys the route's scopes admit.
 * Every route without it refuses viewer tokens (403): a viewer may only read the audit
 * timeline and ask who it is. The route must apply the token's restriction itself.
 */
export const AllowViewer = () => SetMetadata(ALLOW_VIEWER, true);

export const REQUIRED_RUNNER = 'runtrail:required-runner';

/** Marks a route as the runner agent's own: only a runner token is accepted. */
export const RequireRunner = () => SetMetadata(REQUIRED_RUNNER, true);

export interface AuthenticatedRequest {
  auth?: AuthContext;
}

/** The caller resolved by the guard. */
export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('CurrentAuth used on a route without @RequireScopes');
  return auth;
});
