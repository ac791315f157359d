export * from './export-format';
export * from './export-line';
export * from './export-reader';
