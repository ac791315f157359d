import { Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthContext, AuthenticatedRequest } from '@runtrail/auth';
import { ForbiddenError } from '@runtrail/platform';

/** Runners belong to one tenant; the root key spans them all, so it cannot register one. */
export function tenantOfKey(auth: AuthContext): string {
  if (auth.tenantId === null) {
    throw new ForbiddenError('the root key spans every tenant; register runners with a tenant key holding runners:manage');
  }
  return auth.tenantId;
}

@Injectable()
class TenantKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { auth } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (auth) tenantOfKey(auth);
    return true;
  }
}

/**
 * The route needs a tenant key: the root key is refused (403) like a missing scope,
 * after authentication and before the body is looked at.
 */
export const RequireTenantKey = () => UseGuards(TenantKeyGuard);
