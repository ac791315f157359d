import { Injectable } from '@nestjs/common';
import { KeyStore, type AuthContext } from '@runtrail/auth';
import { inMemorySource } from '../../../shared/paging/in-memory-source';
import { KeysetPages } from '../../../shared/paging/keyset-pages';
import type { Page } from '../../../shared/paging/page';
import type { Paging } from '../../../shared/paging/paging-params.dto';
import { toView, type ApiKeyView } from '../../api-key-views';

export interface ListApiKeysCommand {
  auth: AuthContext;
  paging: Paging;
}

/** The caller's keys (every tenant's for the root key), newest first, without secrets. */
@Injectable()
export class ListApiKeys {
  constructor(
    private readonly store: KeyStore,
    private readonly pages: KeysetPages,
  ) {}

  private readonly source = inMemorySource<ApiKeyView>(
    'api-keys',
    async (tenantId) => {
      const [records, used] = await Promise.all([this.store.list(), this.store.lastUsed()]);
      return records.filter((r) => tenantId === null || r.tenantId === tenantId).map((r) => toView(r, used.get(r.id) ?? null));
    },
    (k) => ({ t: k.createdAt, i: k.id }),
  );

  execute({ auth, paging }: ListApiKeysCommand): Promise<Page<ApiKeyView>> {
    return this.pages.page(this.source, auth, {}, paging);
  }
}
