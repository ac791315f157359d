import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { NatsClient } from '../nats-client';
import type { BatchHandler, ConsumedMessage, Settlement } from '../pull/consumed-message';
import type { ConsumerReadinessCheck } from '../pull/consumer-readiness';
import { ensureDurableConsumer, type DurableConsumerSpec } from '../pull/durable-consumer';
import { PullLoop, type PullLoopEvents, type PullLoopOptions } from '../pull/pull-loop';
import { JetStreamContext } from './jetstream.context';
import { RethrowRpcExceptionFilter } from './rethrow-rpc-exception.filter';

/** One durable consumer served by one `@EventPattern` handler. */
export interface JetStreamBinding extends PullLoopOptions {
  /** The `@EventPattern` whose handler receives this consumer's batches. */
  pattern: string;
  /**
   * Made or brought up to date before pulling, and made again after a failed fetch (a
   * stream deleted and restored takes a new consumer, which reads it from the start).
   * Absent, the consumer must exist already.
   */
  consumer?: Pick<DurableConsumerSpec, 'filterSubject' | 'ackWaitMs' | 'maxAckPending' | 'startSeq'>;
  events?: PullLoopEvents;
}

/** A binding being served; `stop` ends its loop (the batch in hand finishes first). */
export interface ServedBinding {
  stop(): Promise<void>;
}

/**
 * Bindings that come and go while the server runs: the stream partitions a projector
 * instance owns (ADR 0019). Started after the fixed bindings; stopped first on close,
 * so it can stop what it serves and give it up before the connections go.
 */
export interface BindingSource {
  start(serve: (binding: JetStreamBinding) => Promise<ServedBinding>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Nest microservice transport over JetStream durable pull consumers (ADR 0011). Each
 * binding runs the one pull loop and hands every batch to the `@EventPattern` handler of
 * its pattern, with a `JetStreamContext`. The handler's outcome is the batch's: resolving
 * acks it (or settles it as the handler returned), throwing keeps it and hands it over
 * again. `close()` (Nest calls it when the app shuts down, before the NATS connection
 * closes) stops fetching and waits for the batch in hand. Given a readiness check, it reports
 * every consumer's failed and resumed fetching to it.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  private readonly loops: PullLoop[] = [];

  constructor(
    private readonly client: NatsClient,
    private readonly bindings: JetStreamBinding[],
    private readonly readiness?: ConsumerReadinessCheck,
    private readonly sources: BindingSource[] = [],
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.stop()));
    await Promise.all(this.loops.splice(0).map((loop) => loop.stop()));
  }

  /** Status events are NatsClient's to report; this transport emits none of its own. */
  on(): undefined {
    return undefined;
  }

  unwrap<T>(): T {
    return this.client as T;
  }

  private async start(): Promise<void> {
    for (const binding of this.bindings) await this.serve(binding);
    for (const source of this.sources) await source.start((binding) => this.serve(binding));
  }

  private async serve(binding: JetStreamBinding): Promise<ServedBinding> {
    const handler = this.getHandlerByPattern(binding.pattern);
    if (!handler) throw new Error(`no @EventPattern('${binding.pattern}') handler for the consumer ${binding.durable}`);
    const { consumer, durable, stream } = binding;
    const ensureConsumer = consumer && (() => ensureDurableConsumer(this.client, { stream, durable, ...consumer }));
    await ensureConsumer?.();
    const loop = new PullLoop(this.client, { ...binding, ensureConsumer }, this.dispatcher(handler, durable), this.reported(binding));
    this.loops.push(loop);
    loop.start();
    return {
      stop: async () => {
        const at = this.loops.indexOf(loop);
        if (at >= 0) this.loops.splice(at, 1);
        await loop.stop();
        // A consumer no longer served here says nothing about this service's readiness.
        this.readiness?.resumed(durable);
      },
    };
  }

  private reported({ durable, events = {} }: JetStreamBinding): PullLoopEvents {
    const readiness = this.readiness;
    if (!readiness) return events;
    return {
      ...events,
      fetchFailed: (...args) => {
        readiness.fetchFailed(durable);
        events.fetchFailed?.(...args);
      },
      resumed: () => {
        readiness.resumed(durable);
        events.resumed?.();
      },
    };
  }

  private dispatcher(handler: MessageHandler, consumer: string): BatchHandler {
    return async (batch: ConsumedMessage[]) => {
      const result: unknown = await handler(batch, new JetStreamContext([consumer, batch]));
      return (isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result) as Settlement | void;
    };
  }
}

/** Makes a standalone Nest microservice hand its handlers' errors to the transport. */
export function useJetStreamErrors<T extends INestMicroservice>(microservice: T): T {
  microservice.useGlobalFilters(new RethrowRpcExceptionFilter());
  return microservice;
}

/**
 * Serves the app's `@EventPattern` handlers from JetStream, beside its HTTP endpoints. The
 * handlers share the app's global enhancers, so its one exception filter (which hands a
 * handler's error back to the transport) covers them too.
 */
export async function connectJetStream(app: INestApplication, server: JetStreamServer): Promise<void> {
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}
