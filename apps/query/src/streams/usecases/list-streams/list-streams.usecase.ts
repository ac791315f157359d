import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { StreamStatusView } from '@runtrail/contracts';
import { StreamStatus } from '../../stream-status';
import { StreamStore } from '../../stream-store';

/** The caller's streams (every tenant's for the root key), oldest first, each with where its delivery stands now. */
@Injectable()
export class ListStreams {
  constructor(
    private readonly store: StreamStore,
    private readonly status: StreamStatus,
  ) {}

  async execute({ auth }: { auth: AuthContext }): Promise<StreamStatusView[]> {
    const streams = (await this.store.list())
      .filter((s) => auth.tenantId === null || s.tenantId === auth.tenantId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return Promise.all(streams.map((s) => this.status.of(s)));
  }
}
