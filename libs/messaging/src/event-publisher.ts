import type { PubAck } from '@nats-io/jetstream';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { DependencyUnavailableError } from '@runtrail/platform';
import { lastValueFrom } from 'rxjs';
import { serializeEvents, toPublishRequests, type EnvelopeHeader, type SerializedEvents } from './envelope-publish';
import type { NatsClient } from './nats-client';
import type { PersonalDataVault } from './personal-data-vault';

export interface PublishRequest {
  subject: string;
  data: Uint8Array;
  /** Deduplication key within the stream's duplicate window. */
  msgID: string;
}

/**
 * The services' Nest client for JetStream (ADR 0011): `emit(subject, request)` publishes
 * and completes only when the server acknowledged storage. Anything short of a PubAck is
 * a DependencyUnavailableError (503), never success. Request-reply (`send`) is not
 * offered: nothing in Runtrail waits for an answer over the stream.
 */
export class EventPublisher extends ClientProxy {
  constructor(
    private readonly client: NatsClient,
    /** The installation's namespace: events go to `<namespace>.evt.<tenant>.<kind>`. */
    private readonly namespace: string,
    /** Takes the personal values out of what is published (none in unit tests that publish no entries). */
    private readonly vault: PersonalDataVault | null = null,
    private readonly timeoutMs = 5000,
  ) {
    super();
  }

  /** Stores events of one kind for one tenant, in envelopes stamped with the header. */
  async publishEvents<T>(header: EnvelopeHeader<T>, events: T[]): Promise<PubAck[]> {
    const sealed = this.vault ? await this.seal(this.vault, header, events) : { batch: serializeEvents(events) };
    return this.publishAll(toPublishRequests(this.namespace, sealed.vault ? { ...header, vault: sealed.vault } : header, sealed.batch));
  }

  /** The personal values go to the vault first: a 503 (never a 202) when it cannot take them. */
  private async seal<T>(vault: PersonalDataVault, header: EnvelopeHeader<T>, events: T[]): Promise<{ batch: SerializedEvents<T>; vault?: string }> {
    if (!this.client.isConnected) throw new DependencyUnavailableError('event store (NATS) is unreachable; retry later');
    try {
      return await vault.seal(header.kind, header.tenantId, events);
    } catch {
      throw new DependencyUnavailableError('event store (NATS) did not acknowledge the write; retry later');
    }
  }

  /** Publishes every request; resolves once JetStream acknowledged them all. */
  publishAll(requests: PublishRequest[]): Promise<PubAck[]> {
    return Promise.all(requests.map((r) => lastValueFrom(this.emit<PubAck, PublishRequest>(r.subject, r))));
  }

  /** The connection is MessagingModule's, open before this client exists. */
  connect(): Promise<NatsClient> {
    return Promise.resolve(this.client);
  }

  /** MessagingModule closes the connection; the client holds nothing else. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  unwrap<T>(): T {
    return this.client as T;
  }

  protected async dispatchEvent<T>(packet: ReadPacket<PublishRequest>): Promise<T> {
    if (!this.client.isConnected) {
      throw new DependencyUnavailableError('event store (NATS) is unreachable; retry later');
    }
    const { data, msgID } = packet.data;
    try {
      return (await this.client.js.publish(packet.pattern as string, data, { msgID, timeout: this.timeoutMs })) as T;
    } catch {
      throw new DependencyUnavailableError('event store (NATS) did not acknowledge the write; retry later');
    }
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-reply is not offered over the event stream'), isDisposed: true });
    return () => undefined;
  }
}
