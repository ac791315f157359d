export * from './service-process';
export * from './stack';
export * from './ports';
export * from './heap-limits';
