import { ForbiddenError, InvalidInputError } from '@runtrail/platform';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import type { RetentionOutcome, RetentionRemover } from '../../retention-remover';
import { ApplyRetention } from './apply-retention.usecase';

describe('ApplyRetention', () => {
  const asked: { tenantId: string; by: string }[] = [];
  const remover = {
    remove: async (only: { tenantId: string; actor: { principal: { name: string } } }): Promise<RetentionOutcome[]> => {
      asked.push({ tenantId: only.tenantId, by: only.actor.principal.name });
      return [{ tenantId: only.tenantId, removed: only.tenantId === 'acme' ? 502 : 0, upTo: only.tenantId === 'acme' ? '2026-01-30T10:00:00.000Z' : null }];
    },
  } as unknown as RetentionRemover;
  const apply = new ApplyRetention(remover);

  it("removes the caller's tenant's due entries now, as the caller", async () => {
    expect(await apply.execute({ auth: tenantAuth('acme') })).toEqual({ removed: 502, upTo: '2026-01-30T10:00:00.000Z' });
    expect(await apply.execute({ auth: ROOT_AUTH, tenantId: 'globex' })).toEqual({ removed: 0, upTo: null });
    expect(asked).toEqual([{ tenantId: 'acme', by: 'operator' }, { tenantId: 'globex', by: 'root' }]);
  });

  it('needs the tenant from the root key, and only its own from a tenant key', async () => {
    await expect(apply.execute({ auth: ROOT_AUTH })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(apply.execute({ auth: tenantAuth('acme'), tenantId: 'globex' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
