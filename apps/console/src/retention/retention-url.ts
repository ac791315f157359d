/**
 * `/retention`'s URL state: `tenant`, the tenant the root key looks at (a tenant key has its
 * own and ignores it), so that a reload or a link shows the same tenant's policy.
 */
export function readTenant(params: URLSearchParams): string {
  return params.get('tenant')?.trim() ?? '';
}

export function writeTenant(tenant: string, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  if (tenant) params.set('tenant', tenant);
  else params.delete('tenant');
  return params;
}
