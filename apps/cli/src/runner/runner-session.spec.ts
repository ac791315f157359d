import { generateKeyPairSync } from 'node:crypto';
import type { ApiAnswer } from '@runtrail/client';
import { runnerSession } from '../../test/runner-session.fixture';
import { openRunnerSession, RunnerFatalError } from './runner-session';

const session = runnerSession();
const ecPublicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** openRunnerSession with an API answering `answers` in turn (an Error is thrown). */
function open(...answers: (ApiAnswer | Error)[]) {
  const lines: string[] = [];
  const stop = new AbortController();
  const api = {
    session: jest.fn(async (): Promise<ApiAnswer> => {
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    }),
  };
  const opened = openRunnerSession({ api, queryUrl: 'http://query.invalid', log: (l) => lines.push(l), stopping: stop.signal });
  return { opened, api, lines, stop };
}

describe('openRunnerSession', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves to the session of a 200', async () => {
    const { opened, lines } = open({ status: 200, body: session });
    await expect(opened).resolves.toEqual(session);
    expect(lines).toEqual([]);
  });

  it('asks again after 1 s, 2 s, 4 s while the service is unreachable or busy, one line per failure', async () => {
    const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { opened, api, lines } = open(refused, { status: 503, body: 'down' }, { status: 429, body: '' }, { status: 200, body: session });
    await jest.advanceTimersByTimeAsync(999);
    expect(api.session).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(api.session).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(2000);
    expect(api.session).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(4000);
    await expect(opened).resolves.toEqual(session);
    expect(lines).toEqual([
      'the query service at http://query.invalid is unreachable: ECONNREFUSED; retrying in 1 s',
      'the query service at http://query.invalid answered 503; retrying in 2 s',
      'the query service at http://query.invalid answered 429; retrying in 4 s',
    ]);
  });

  it.each<[string, ApiAnswer, string]>([
    ['a refused token (401)', { status: 401, body: { message: 'Unauthorized' } }, 'the runner token was refused'],
    ['a token of another kind (403)', { status: 403, body: { message: 'not a runner token' } }, 'the token is not a runner token (not a runner token)'],
    ['any other 4xx', { status: 404, body: { message: 'Cannot GET' } }, 'GET /v1/runner-session answered 404: Cannot GET'],
    ['a 200 that is not a session', { status: 200, body: { ...session, workspaces: 'acme-prod' } }, 'the query service answered GET /v1/runner-session with something that is not a session'],
    ['a signing key that is not Ed25519', { status: 200, body: { ...session, signingPublicKey: ecPublicKeyPem } }, 'the session carries no usable Ed25519 command signing key'],
    ['a signing key that is no key', { status: 200, body: { ...session, signingPublicKey: 'not a key' } }, 'the session carries no usable Ed25519 command signing key'],
  ])('gives up at once on %s', async (_what, answer, message) => {
    const { opened, api, lines } = open(answer);
    await expect(opened).rejects.toThrow(new RunnerFatalError(message));
    await expect(opened).rejects.toBeInstanceOf(RunnerFatalError);
    expect(api.session).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
  });

  it('resolves to undefined when stopped while it waits to ask again', async () => {
    const { opened, api, stop } = open({ status: 502, body: '' });
    await jest.advanceTimersByTimeAsync(500);
    stop.abort();
    await expect(opened).resolves.toBeUndefined();
    expect(api.session).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
