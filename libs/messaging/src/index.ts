export * from './nats-client';
export * from './event-stream';
export * from './event-publisher';
export * from './batch-consumer';
export * from './messaging.module';
export * from './envelope-publish';
export * from './runner-consumer';
