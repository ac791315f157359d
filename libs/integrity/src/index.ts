export * from './entry/origin';
export * from './export';
export * from './verify';
