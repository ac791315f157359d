export * from './entry/origin';
