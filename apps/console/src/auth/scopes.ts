import type { Scope, Whoami } from '../api/types';

export interface NavItem {
  to: string;
  label: string;
  scope: Scope;
}

/** The console's views in the Main navigation, each shown only to a key with its scope. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/timeline', label: 'Timeline', scope: 'audit:read' },
  { to: '/runs', label: 'Runs', scope: 'audit:read' },
  { to: '/deployments', label: 'Deployments', scope: 'audit:read' },
  { to: '/insights', label: 'Insights', scope: 'audit:read' },
  { to: '/runners', label: 'Runners', scope: 'runners:manage' },
  { to: '/keys', label: 'Keys', scope: 'admin' },
  { to: '/streams', label: 'Streams', scope: 'admin' },
  { to: '/retention', label: 'Retention', scope: 'admin' },
];

export function hasScope(who: Pick<Whoami, 'scopes'>, scope: Scope): boolean {
  return who.scopes.includes(scope);
}

export function visibleNav(who: Pick<Whoami, 'scopes'>): NavItem[] {
  return NAV_ITEMS.filter((item) => hasScope(who, item.scope));
}

/** Where a key lands after sign-in: its first view, or null when it may see none. */
export function homePath(who: Pick<Whoami, 'scopes'>): string | null {
  return visibleNav(who)[0]?.to ?? null;
}

export const canRetrigger = (who: Pick<Whoami, 'scopes'>) => hasScope(who, 'runs:retrigger');
