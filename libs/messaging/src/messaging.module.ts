import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheck, SharedConfig } from '@runtrail/platform';
import { ensureEventStream, type EventStreamOptions } from './event-stream';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from './event-publisher';
import { ConsumerReadinessCheck } from './pull/consumer-readiness';
import { NatsClient } from './nats-client';
import { PersonalDataVault } from './personal-data-vault';

export interface MessagingOptions {
  servers: string[];
  name: string;
  /** Every service makes sure the event stream exists, so each can start on its own. */
  stream: EventStreamOptions;
}

/** The stream settings from the shared configuration. */
export function messagingOptions(config: SharedConfig, name: string): MessagingOptions {
  return {
    servers: config.natsServers,
    name,
    stream: {
      namespace: config.RUNTRAIL_NAMESPACE,
      maxAgeSeconds: config.STREAM_MAX_AGE_SECONDS,
      duplicateWindowSeconds: config.STREAM_DUPLICATE_WINDOW_SECONDS,
      replicas: config.STREAM_REPLICAS,
      createMissing: config.RUNTRAIL_CREATE_MISSING_STREAM === 1,
    },
  };
}

export class NatsReadinessCheck implements ReadinessCheck {
  readonly name = 'nats';
  constructor(private readonly client: NatsClient) {}
  isReady(): Promise<boolean> {
    return this.client.ping();
  }
}

const OPTIONS = Symbol('MESSAGING_OPTIONS');

@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(NatsClient) private readonly client: NatsClient) {}

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: NatsClient,
          inject: [PinoLogger],
          useFactory: async (logger: PinoLogger) => {
            const client = await NatsClient.connect(options, logger.logger);
            await ensureEventStream(client, options.stream);
            return client;
          },
        },
        { provide: NatsReadinessCheck, inject: [NatsClient], useFactory: (c: NatsClient) => new NatsReadinessCheck(c) },
        // For a service that consumes the stream: its JetStreamServer reports to it.
        { provide: ConsumerReadinessCheck, useValue: new ConsumerReadinessCheck() },
        {
          provide: PersonalDataVault,
          inject: [NatsClient],
          useFactory: (c: NatsClient) => PersonalDataVault.open(c, options.stream.namespace, options.stream.replicas),
        },
        {
          provide: EventPublisher,
          inject: [NatsClient, PersonalDataVault],
          useFactory: (c: NatsClient, vault: PersonalDataVault) => new EventPublisher(c, options.stream.namespace, vault),
        },
      ],
      exports: [NatsClient, NatsReadinessCheck, ConsumerReadinessCheck, EventPublisher, PersonalDataVault],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
