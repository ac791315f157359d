export * from './rfc6962';
