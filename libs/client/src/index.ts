export * from './errors';
export * from './retry-policy';
export * from './http-client';
export * from './runtrail-client';
export * from './runner-client';
