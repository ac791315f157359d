import { createPublicKey } from 'node:crypto';
import { answerMessage, describeError, type ApiAnswer, type RunnerClient, type RunnerSession } from '@runtrail/client';
import { waitToRetry, type RetryWaitDeps } from './retry-wait';

/** The agent cannot serve at all (refused token, unusable session): exit 1. */
export class RunnerFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerFatalError';
  }
}

export interface RunnerSessionDeps extends RetryWaitDeps {
  api: Pick<RunnerClient, 'session'>;
  /** Named in the lines that say the service is not there yet. */
  queryUrl: string;
}

function isSession(body: unknown): body is RunnerSession {
  const b = body as Partial<RunnerSession> | null;
  return (
    typeof b === 'object' && b !== null &&
    ['runnerId', 'tenantId', 'name', 'stream', 'consumer', 'subject', 'signingPublicKey'].every((k) => typeof (b as Record<string, unknown>)[k] === 'string') &&
    Array.isArray(b.workspaces)
  );
}

// Checked before serving: a session whose key cannot verify anything would reject every command.
function checkSigningKey(pem: string): void {
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'ed25519') throw new RunnerFatalError('the session carries no usable Ed25519 command signing key');
}

/** The session in a 200; a RunnerFatalError for an answer no retry changes; else the problem, worth a retry. */
function sessionOf(answer: ApiAnswer): RunnerSession | string {
  if (answer.status === 200) {
    if (!isSession(answer.body)) throw new RunnerFatalError('the query service answered GET /v1/runner-session with something that is not a session');
    checkSigningKey(answer.body.signingPublicKey);
    return answer.body;
  }
  if (answer.status === 401) throw new RunnerFatalError('the runner token was refused');
  if (answer.status === 403) throw new RunnerFatalError(`the token is not a runner token (${answerMessage(answer)})`);
  if (answer.status < 500 && answer.status !== 429) {
    throw new RunnerFatalError(`GET /v1/runner-session answered ${answer.status}: ${answerMessage(answer)}`);
  }
  return `answered ${answer.status}`;
}

/**
 * `GET /v1/runner-session`, asked again while the service is unreachable or busy (a
 * runner started before its query service must wait for it, not exit). Resolves to
 * undefined when stopped first; rejects with a RunnerFatalError when it can never serve.
 */
export async function openRunnerSession(deps: RunnerSessionDeps): Promise<RunnerSession | undefined> {
  for (let failures = 1; !deps.stopping.aborted; failures++) {
    let problem: string;
    try {
      const session = sessionOf(await deps.api.session());
      if (typeof session !== 'string') return session;
      problem = session;
    } catch (error) {
      if (error instanceof RunnerFatalError) throw error;
      problem = `is unreachable: ${describeError(error)}`;
    }
    await waitToRetry(failures, `the query service at ${deps.queryUrl} ${problem}`, deps);
  }
  return undefined;
}
