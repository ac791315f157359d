export * from './entry/origin';
export * from './entry/canonical-entry';
export * from './entry/personal-digests';
export * from './entry/personal-fields';
