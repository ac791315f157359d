import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { eventStreamName, type StreamFilter, type StreamKind, type StreamView } from '@runtrail/contracts';
import { NatsClient, ensureDurableConsumer } from '@runtrail/messaging';
import { Clock, InvalidInputError } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import { requestedTenant } from '../../../shared/tenancy/requested-tenant';
import type { CreateStreamDto } from '../../create-stream.dto';
import { streamConsumerSpec } from '../../stream-consumer';
import { StreamEvents } from '../../stream-events';
import { parseStreamFilter } from '../../stream-filter';
import { StreamStore, type StreamDefinition } from '../../stream-store';
import { streamView } from '../../stream-views';
import { parseStreamUrl } from '../../targets/stream-url';
import { TargetAllowList } from '../../targets/target-allow-list';

export interface CreateStreamCommand {
  auth: AuthContext;
  body: CreateStreamDto;
}

/** Webhook signatures are only as strong as their key. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** What each kind does with `secret`: the webhook's HMAC key and the HEC token are required; the others take none. */
function secretProblem(kind: StreamKind, secret: string | undefined): string | undefined {
  if (kind === 'webhook') return secret === undefined || secret.length < MIN_WEBHOOK_SECRET_LENGTH ? `secret of a webhook stream is required: its HMAC key, ${MIN_WEBHOOK_SECRET_LENGTH} characters or more` : undefined;
  if (kind === 'splunk-hec') return secret === undefined ? 'secret of a splunk-hec stream is required: its HEC token' : undefined;
  return secret === undefined ? undefined : `secret is not used by a ${kind} stream`;
}

/**
 * Sets up a stream (CONTRACT §8): checks its URL against its kind and STREAM_TARGET_ALLOW,
 * its secret and filter, fixes where it starts, makes its durable consumer and records the act.
 */
@Injectable()
export class CreateStream {
  constructor(
    private readonly store: StreamStore,
    private readonly events: StreamEvents,
    private readonly client: NatsClient,
    private readonly allow: TargetAllowList,
    private readonly clock: Clock,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async execute({ auth, body }: CreateStreamCommand): Promise<StreamView> {
    const tenantId = requestedTenant(auth, body.tenantId, { name: 'tenantId', otherTenant: 'a tenant key creates streams of its own tenant only' });
    const problems: string[] = [];
    const target = parseStreamUrl(body.kind, body.url);
    if (typeof target === 'string') problems.push(target);
    const secret = secretProblem(body.kind, body.secret);
    if (secret) problems.push(secret);
    let filter: StreamFilter = {};
    try {
      filter = parseStreamFilter(body.filter).filter;
    } catch (err) {
      // Every problem of the request at once, the filter's among them.
      if (!(err instanceof InvalidInputError)) throw err;
      problems.push(...err.messages);
    }
    if (problems.length) throw new InvalidInputError(problems);
    if (typeof target !== 'string' && !(await this.allow.allows(target.host))) throw new InvalidInputError(`url's host ${target.host} is not allowed by STREAM_TARGET_ALLOW`);

    const ns = this.config.RUNTRAIL_NAMESPACE;
    const from = body.from ?? 'now';
    const startSeq = from === 'beginning' ? 1 : (await this.client.jsm.streams.info(eventStreamName(ns))).state.last_seq + 1;
    const now = this.clock.iso();
    const definition: StreamDefinition = { id: randomUUID(), tenantId, name: body.name, kind: body.kind, url: body.url, filter, from, startSeq, paused: false, createdAt: now, updatedAt: now, createdBy: auth.principal };
    await this.store.create(definition, body.secret);
    await ensureDurableConsumer(this.client, streamConsumerSpec(ns, definition));
    await this.events.acted(auth, 'Create', definition);
    return streamView(definition, 'active');
  }
}
