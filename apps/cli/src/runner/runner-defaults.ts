export const RUNNER_DEFAULTS = {
  ingestUrl: 'http://127.0.0.1:8080',
  queryUrl: 'http://127.0.0.1:8081',
  natsUrl: 'nats://127.0.0.1:4222',
  namespace: 'runtrail',
} as const;

/** The environment variables behind each option (apps/cli/README.md#runtrail-runner). */
export const RUNNER_ENV = {
  token: 'RUNTRAIL_RUNNER_TOKEN',
  ingestUrl: 'RUNTRAIL_INGEST_URL',
  queryUrl: 'RUNTRAIL_QUERY_URL',
  natsUrl: 'NATS_URL',
  namespace: 'RUNTRAIL_NAMESPACE',
} as const;
