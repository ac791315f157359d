import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NatsClient } from '@runtrail/messaging';
import { Clock, Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { ApiKeyGuard } from './api-key.guard';
import { Authenticator } from './authenticator';
import { KeyStore } from './key-store';
import { ApiRateLimit } from './rate-limit';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { RootKey } from './root-key';
import { RunnerStore } from './runner-store';
import { ViewerTokenStore } from './viewer-token-store';

export interface AuthOptions {
  namespace: string;
  adminKey?: string;
  /** Replicas of the key bucket; the same as the event stream's. */
  replicas: number;
  /** Per-key and per-tenant request limits (429); absent, nothing is limited. */
  rateLimits?: RateLimits;
}

@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        {
          provide: KeyStore,
          inject: [NatsClient, PinoLogger],
          useFactory: (c: NatsClient, l: PinoLogger) => KeyStore.open(c, options.namespace, options.replicas, l.logger),
        },
        {
          provide: RootKey,
          inject: [KeyStore, PinoLogger],
          useFactory: (s: KeyStore, l: PinoLogger) => RootKey.resolve(s, options.adminKey, l.logger),
        },
        {
          provide: RunnerStore,
          inject: [NatsClient],
          useFactory: (c: NatsClient) => RunnerStore.open(c, options.namespace, options.replicas),
        },
        {
          provide: ViewerTokenStore,
          inject: [KeyStore, PinoLogger],
          useFactory: (s: KeyStore, l: PinoLogger) => new ViewerTokenStore(s.kv, l.logger),
        },
        {
          provide: Authenticator,
          inject: [KeyStore, RootKey, RunnerStore, ViewerTokenStore, Clock],
          useFactory: (s: KeyStore, r: RootKey, runners: RunnerStore, viewers: ViewerTokenStore, clock: Clock) =>
            new Authenticator(s, r, runners, viewers, clock),
        },
        {
          provide: ApiRateLimit,
          inject: [Metrics],
          useFactory: (m: Metrics) => new ApiRateLimit(new RateLimiter(options.rateLimits ?? { key: null, tenant: null }), m),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [KeyStore, RunnerStore, ViewerTokenStore, Authenticator],
    };
  }
}
