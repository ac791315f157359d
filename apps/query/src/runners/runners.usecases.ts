import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, generateRunnerToken, isOnline, hashApiKey, type AuthContext, type RunnerRecord } from '@runtrail/auth';
import { commandSubject, eventStreamName, eventSubject, runnerConsumerName } from '@runtrail/contracts';
import { EventPublisher, NatsClient, deleteRunnerConsumer, ensureRunnerConsumer, toPublishRequests } from '@runtrail/messaging';
import { ForbiddenError, NotFoundError } from '@runtrail/platform';
import { COMMAND_SIGNING_KEYS, type CommandSigningKeys } from '../commands/signing-keys';
import { QueryConfig } from '../shared/config/query.config';
import { inMemorySource } from '../shared/paging/in-memory-source';
import { KeysetPages } from '../shared/paging/keyset-pages';
import { Page } from '../shared/paging/page';
import type { Paging } from '../shared/paging/paging-params.dto';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import type { CreateRunnerDto, HeartbeatDto } from './create-runner.dto';
import type { CreatedRunnerView, RunnerSessionView, RunnerView } from './runner-views';

/** The runner registry (CONTRACT §4 "Re-trigger and runners", ADR 0007). */
@Injectable()
export class RunnersUseCases {
  constructor(
    private readonly store: RunnerStore,
    private readonly client: NatsClient,
    private readonly publisher: EventPublisher,
    private readonly pages: KeysetPages,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    @Inject(COMMAND_SIGNING_KEYS) private readonly keys: CommandSigningKeys,
    private readonly timeline: TimelineRecorder,
  ) {}

  async register(auth: AuthContext, dto: CreateRunnerDto): Promise<CreatedRunnerView> {
    const tenantId = this.ownTenant(auth);
    const token = generateRunnerToken();
    const record: RunnerRecord = { id: randomUUID(), tenantId, name: dto.name, workspaces: dto.workspaces, createdAt: new Date().toISOString() };
    // The consumer first: a runner that exists can always receive its commands.
    await ensureRunnerConsumer(this.client, this.config.RUNTRAIL_NAMESPACE, tenantId, record.id);
    await this.store.save(record, hashApiKey(token));
    await this.recordFact(auth, tenantId, 'registered', record);
    await this.timeline.record(auth, { tenantId, action: 'Create', entityType: 'Runner', entityId: record.id, entityName: record.name, context: { workspaces: record.workspaces.join(',') } });
    return { id: record.id, name: record.name, workspaces: record.workspaces, token };
  }

  async list(auth: AuthContext, paging: Paging): Promise<Page<RunnerView>> {
    const page = await this.pages.page(this.source, auth, {}, paging);
    const items = page.items.map(({ id, name, workspaces, online, lastSeenAt, hostname, version }) => ({ id, name, workspaces, online, lastSeenAt, hostname, version }));
    return new Page(items, page.limit, page.nextCursor);
  }

  private readonly source = inMemorySource<RunnerView & { createdAt: string }>(
    'runners',
    async (tenantId) => {
      const runners = (await this.store.list()).filter((r) => tenantId === null || r.tenantId === tenantId);
      return Promise.all(runners.map((r) => this.view(r)));
    },
    (r) => ({ t: r.createdAt, i: r.id }),
  );

  /** Another tenant's runner answers 404, like one that does not exist. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const runner = await this.store.findById(id);
    if (!runner || (auth.tenantId !== null && runner.tenantId !== auth.tenantId)) throw new NotFoundError(`runner ${id} not found`);
    await this.store.remove(runner, undefined);
    await deleteRunnerConsumer(this.client, this.config.RUNTRAIL_NAMESPACE, runner.id);
    await this.recordFact(auth, runner.tenantId, 'removed', runner);
    await this.timeline.record(auth, { tenantId: runner.tenantId, action: 'Delete', entityType: 'Runner', entityId: runner.id, entityName: runner.name });
  }

  async session(auth: AuthContext): Promise<RunnerSessionView> {
    const runner = await this.runnerOf(auth);
    const ns = this.config.RUNTRAIL_NAMESPACE;
    return {
      runnerId: runner.id,
      tenantId: runner.tenantId,
      name: runner.name,
      workspaces: runner.workspaces,
      stream: eventStreamName(ns),
      consumer: runnerConsumerName(ns, runner.id),
      subject: commandSubject(ns, runner.tenantId, runner.id),
      signingPublicKey: this.keys.publicKeyPem,
    };
  }

  async heartbeat(auth: AuthContext, dto: HeartbeatDto): Promise<void> {
    const runner = await this.runnerOf(auth);
    await this.store.setPresence(runner.id, {
      lastSeenAt: new Date().toISOString(),
      state: dto.state,
      hostname: dto.hostname ?? null,
      version: dto.version ?? null,
    });
  }

  private async view(r: RunnerRecord): Promise<RunnerView & { createdAt: string }> {
    const presence = await this.store.presence(r.id);
    return {
      id: r.id,
      name: r.name,
      workspaces: r.workspaces,
      online: isOnline(presence),
      lastSeenAt: presence?.lastSeenAt ?? null,
      hostname: presence?.hostname ?? null,
      version: presence?.version ?? null,
      createdAt: r.createdAt,
    };
  }

  private async runnerOf(auth: AuthContext): Promise<RunnerRecord> {
    const runner = auth.runnerId === undefined ? undefined : await this.store.findById(auth.runnerId);
    if (!runner) throw new ForbiddenError('only a runner token may use this endpoint');
    return runner;
  }

  /** Runners belong to one tenant; the root key spans them all, so it cannot register one. */
  private ownTenant(auth: AuthContext): string {
    if (auth.tenantId === null) {
      throw new ForbiddenError('the root key spans every tenant; register runners with a tenant key holding runners:manage');
    }
    return auth.tenantId;
  }

  /** Every registration and removal is a fact in the stream, like every other. */
  private async recordFact(auth: AuthContext, tenantId: string, type: 'registered' | 'removed', r: RunnerRecord): Promise<void> {
    const ns = this.config.RUNTRAIL_NAMESPACE;
    const fact = { type, runner: { id: r.id, name: r.name, workspaces: r.workspaces, createdAt: r.createdAt }, at: new Date().toISOString() };
    await this.publisher.publishAll(
      toPublishRequests(eventSubject(ns, tenantId, 'runner'), { kind: 'runner', tenantId, submitter: auth.principal, receivedAt: fact.at }, [fact]),
    );
  }
}
