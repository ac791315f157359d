export * from './entry/origin';
export * from './entry/canonical-entry';
export * from './entry/personal-digests';
export * from './entry/personal-fields';
export * from './export';
export * from './verify';
export * from './entry/erasure';
