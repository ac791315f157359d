import { Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext } from '@runtrail/auth';
import { Clock } from '@runtrail/platform';
import { inMemorySource } from '../../../shared/paging/in-memory-source';
import { KeysetPages } from '../../../shared/paging/keyset-pages';
import { Page } from '../../../shared/paging/page';
import type { Paging } from '../../../shared/paging/paging-params.dto';
import { toRunnerView, type RunnerView } from '../../runner-views';

export interface ListRunnersCommand {
  auth: AuthContext;
  paging: Paging;
}

/** The caller's runners (every tenant's for the root key), newest first, with their presence now. */
@Injectable()
export class ListRunners {
  constructor(
    private readonly store: RunnerStore,
    private readonly pages: KeysetPages,
    private readonly clock: Clock,
  ) {}

  private readonly source = inMemorySource<{ view: RunnerView; createdAt: string }>(
    'runners',
    async (tenantId) => {
      const runners = (await this.store.list()).filter((r) => tenantId === null || r.tenantId === tenantId);
      const now = this.clock.now();
      return Promise.all(runners.map(async (r) => ({ view: toRunnerView(r, await this.store.presence(r.id), now), createdAt: r.createdAt })));
    },
    ({ view, createdAt }) => ({ t: createdAt, i: view.id }),
  );

  async execute({ auth, paging }: ListRunnersCommand): Promise<Page<RunnerView>> {
    const page = await this.pages.page(this.source, auth, {}, paging);
    return new Page(
      page.items.map((r) => r.view),
      page.limit,
      page.nextCursor,
    );
  }
}
