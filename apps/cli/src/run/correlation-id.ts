import { CORRELATION_ID_MESSAGE, CORRELATION_ID_PATTERN } from '@runtrail/contracts';

/** The variable that gives `runtrail run` a correlation id when `--correlation-id` does not. */
export const CORRELATION_ID_ENV = 'RUNTRAIL_CORRELATION_ID';

/**
 * The CI systems whose own pipeline id becomes the correlation id, in the order they are
 * tried (apps/cli/README.md#correlation-id): one id for every run of one pipeline, so
 * `/v1/audit?correlation_id=X` shows what the pipeline did.
 */
export const CI_CORRELATION_VARIABLES: readonly { variable: string; ci: string }[] = [
  { variable: 'GITHUB_RUN_ID', ci: 'GitHub Actions' },
  { variable: 'CI_PIPELINE_ID', ci: 'GitLab CI' },
  // Unique per job and build (`jenkins-deploy-42`); BUILD_NUMBER repeats across jobs.
  { variable: 'BUILD_TAG', ci: 'Jenkins' },
  { variable: 'BUILD_BUILDID', ci: 'Azure Pipelines' },
  { variable: 'CIRCLE_WORKFLOW_ID', ci: 'CircleCI' },
  { variable: 'BUILDKITE_BUILD_ID', ci: 'Buildkite' },
];

/**
 * Why `value` cannot be a correlation id, or undefined when it can: the server's own rule
 * (CONTRACT §9), so that nothing the CLI sends is refused for it. Never quotes the value.
 */
export function correlationIdProblem(value: string): string | undefined {
  return CORRELATION_ID_PATTERN.test(value) ? undefined : CORRELATION_ID_MESSAGE;
}

/** The correlation id a run is reported with, and the warning when a value had to be left out. */
export interface ResolvedCorrelationId {
  correlationId?: string;
  warning?: string;
}

/**
 * `--correlation-id`, else RUNTRAIL_CORRELATION_ID, else the first CI variable of
 * CI_CORRELATION_VARIABLES (an empty variable counts as unset, as everywhere in the CLI).
 * The first source found decides: an invalid value is left out with a warning rather
 * than replaced by a later source, which would tie the run to something not meant.
 * Never throws: `runtrail run` refuses an invalid flag before it gets here.
 */
export function resolveCorrelationId(flag: string | undefined, env: NodeJS.ProcessEnv): ResolvedCorrelationId {
  const source = sourceOf(flag, env);
  if (!source) return {};
  const problem = correlationIdProblem(source.value);
  if (problem === undefined) return { correlationId: source.value };
  return { warning: `not sending a correlation id: ${source.name} ${problem}` };
}

function sourceOf(flag: string | undefined, env: NodeJS.ProcessEnv): { name: string; value: string } | undefined {
  if (flag !== undefined) return { name: '--correlation-id', value: flag };
  for (const variable of [CORRELATION_ID_ENV, ...CI_CORRELATION_VARIABLES.map((c) => c.variable)]) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { name: variable, value };
  }
  return undefined;
}
