// A secondary entry point (@runtrail/platform/retry): the CLI and the client SDK use the
// retry policy without loading Nest, which the main index brings in.
export * from './backoff';
export * from './retry';
export * from './retry-after';
