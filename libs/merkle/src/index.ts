export * from './rfc6962';
export * from './signed-note';
export * from './stored-tree';
