export * from './names';
export * from './cleanup';
export { freePort } from '@runtrail/launcher';
export * from './http';
export * from './test-stack';
export * from './nats-server';
export * from './events';
export * from './tcp-proxy';
export * from './browser';
