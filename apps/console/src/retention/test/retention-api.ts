import { apiError, fakeApi, json, whoami, type Reply } from '../../test/fake-api';
import type { Retention, RetentionApplied } from '../retention-types';

/** acme's policy as a tenant that never set one has it: kept forever, no hold, nothing removed. */
export function retention(overrides: Partial<Retention> = {}): Retention {
  return { tenantId: 'acme', days: 0, legalHold: false, updatedAt: null, removed: null, ...overrides };
}

export const SAVED_AT = '2026-12-01T09:30:00.000Z';

/**
 * The retention routes over one policy per tenant that PUT changes as the query service
 * does (a field left out keeps its value; `days` outside 0..36500 is a 400), so a read
 * afterwards shows it; `applied` answers POST /v1/retention/apply. The root key names the
 * tenant with `tenantId` (query or body); a tenant key is acme. `extra` adds or replaces routes.
 */
export function retentionApi(
  initial: Retention = retention(),
  key: Parameters<typeof whoami>[0] = { scopes: ['admin'] },
  extra: Record<string, Reply> = {},
  applied: RetentionApplied = { removed: 0, upTo: null },
) {
  const policies = new Map<string, Retention>([[initial.tenantId, initial]]);
  const tenantOf = (given: unknown) => (typeof given === 'string' ? given : 'acme');
  const policyOf = (tenantId: string) => policies.get(tenantId) ?? retention({ tenantId });
  return fakeApi({
    'GET /v1/whoami': json(whoami(key)),
    'GET /v1/retention': (_r, url) => json(policyOf(tenantOf(url.searchParams.get('tenantId') ?? undefined))),
    'PUT /v1/retention': async (request) => {
      const body = (await request.json()) as { days?: number; legalHold?: boolean; tenantId?: string };
      if (body.days !== undefined && !(Number.isInteger(body.days) && body.days >= 0 && body.days <= 36_500)) {
        return apiError(400, ['days must be 0 to 36500']);
      }
      const tenantId = tenantOf(body.tenantId);
      const { tenantId: _, ...change } = body;
      const next = { ...policyOf(tenantId), ...change, updatedAt: SAVED_AT };
      policies.set(tenantId, next);
      return json(next);
    },
    'POST /v1/retention/apply': () => json(applied, { status: 202 }),
    ...extra,
  });
}
