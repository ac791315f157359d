import { parseExecTemplate } from './exec-template';
import { RUNNER_DEFAULTS, RUNNER_ENV } from './runner-defaults';

/** What `runtrail runner` was given on its command line (commander's camel-cased options). */
export interface RunnerFlags {
  token?: string;
  exec?: string;
  ingestUrl?: string;
  queryUrl?: string;
  natsUrl?: string;
  namespace?: string;
}

/** Everything the agent needs, resolved once at start. */
export interface RunnerOptions {
  token: string;
  /** The `--exec` template as given, and split into words (parseExecTemplate). */
  exec: string;
  execWords: string[];
  /** Base URLs without a trailing slash (and without /v1). */
  ingestUrl: string;
  queryUrl: string;
  natsServers: string[];
  /** Informational: the session names the stream and the consumer. */
  namespace: string;
}

// In their own file so that registering the command (its help text) loads no more than them.
export { RUNNER_DEFAULTS, RUNNER_ENV } from './runner-defaults';

/** A configuration the agent cannot start with; the command says it in one line and exits 2. */
export class RunnerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerConfigError';
  }
}

/** The flag when given, else the environment variable when set and not empty, else undefined. */
function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (flag !== undefined) return flag;
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function httpBase(value: string, option: string, envName: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RunnerConfigError(`${option} (or ${envName}) must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RunnerConfigError(`${option} (or ${envName}) must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.search || url.hash) {
    throw new RunnerConfigError(`${option} (or ${envName}) is a base URL without query or fragment, got ${JSON.stringify(value)}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * Flags over environment over defaults. Throws a RunnerConfigError naming the option
 * (never echoing the token) when something is missing or malformed, including an
 * `--exec` template that does not parse: a typo stops the agent at start, not at the
 * first command.
 */
export function resolveRunnerOptions(flags: RunnerFlags, env: NodeJS.ProcessEnv = process.env): RunnerOptions {
  const token = pick(flags.token, env, RUNNER_ENV.token)?.trim();
  if (!token) {
    throw new RunnerConfigError(`--token is required (the runner token from POST /v1/runners; or set ${RUNNER_ENV.token})`);
  }
  // It goes into an Authorization header; say so here rather than fail inside fetch.
  if (/[\s\p{Cc}]/u.test(token)) throw new RunnerConfigError('--token must not contain white space or control characters');

  if (flags.exec === undefined) {
    throw new RunnerConfigError('--exec is required, e.g. --exec "polycrate run {block} {action}"');
  }
  let execWords: string[];
  try {
    execWords = parseExecTemplate(flags.exec);
  } catch (error) {
    throw new RunnerConfigError(error instanceof Error ? error.message : String(error));
  }

  const ingestUrl = httpBase(pick(flags.ingestUrl, env, RUNNER_ENV.ingestUrl) ?? RUNNER_DEFAULTS.ingestUrl, '--ingest-url', RUNNER_ENV.ingestUrl);
  const queryUrl = httpBase(pick(flags.queryUrl, env, RUNNER_ENV.queryUrl) ?? RUNNER_DEFAULTS.queryUrl, '--query-url', RUNNER_ENV.queryUrl);

  const natsUrl = pick(flags.natsUrl, env, RUNNER_ENV.natsUrl) ?? RUNNER_DEFAULTS.natsUrl;
  const natsServers = natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (natsServers.length === 0) {
    throw new RunnerConfigError(`--nats-url (or ${RUNNER_ENV.natsUrl}) must name at least one server, got ${JSON.stringify(natsUrl)}`);
  }
  const badServer = natsServers.find((s) => /\s/.test(s));
  if (badServer !== undefined) {
    throw new RunnerConfigError(`--nats-url (or ${RUNNER_ENV.natsUrl}): servers are separated by commas, got ${JSON.stringify(badServer)}`);
  }

  const namespace = (pick(flags.namespace, env, RUNNER_ENV.namespace) ?? RUNNER_DEFAULTS.namespace).trim();
  if (namespace === '') throw new RunnerConfigError('--namespace must not be empty');

  return { token, exec: flags.exec, execWords, ingestUrl, queryUrl, natsServers, namespace };
}
