export * from './entry/origin';
export * from './entry/canonical-entry';
export * from './entry/personal-digests';
