import type { ApiAnswer, HeartbeatReport } from '@runtrail/client';
import { Heartbeats } from './heartbeats';

/** A heartbeat call the test answers when it wants to. */
interface Call {
  report: HeartbeatReport;
  attempts?: number;
  answer: (answer: ApiAnswer | Error) => void;
}

function setup() {
  const calls: Call[] = [];
  const lines: string[] = [];
  const refused: string[] = [];
  const stopping = new AbortController();
  const api = {
    heartbeat: (report: HeartbeatReport, attempts?: number) =>
      new Promise<ApiAnswer>((resolve, reject) => calls.push({ report, attempts, answer: (a) => (a instanceof Error ? reject(a) : resolve(a)) })),
  };
  const heartbeats = new Heartbeats({
    api,
    host: { hostname: 'ci-1', cliVersion: '1.2.3' },
    log: (l) => lines.push(l),
    onRefused: (m) => refused.push(m),
    stopping: stopping.signal,
    everyMs: 1000,
  });
  return { heartbeats, calls, lines, refused, stopping };
}

const NO_CONTENT: ApiAnswer = { status: 204, body: undefined };

describe('Heartbeats', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('beats at once and then every interval with the host name and version', async () => {
    const { heartbeats, calls } = setup();
    heartbeats.start();
    expect(calls.map((c) => c.report)).toEqual([{ hostname: 'ci-1', version: '1.2.3' }]);
    calls[0].answer(NO_CONTENT);
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1].answer(NO_CONTENT);
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(3);
    calls[2].answer(NO_CONTENT);
    await heartbeats.stop();
  });

  it('never has two beats in flight: a slow answer skips the beats due meanwhile', async () => {
    const { heartbeats, calls } = setup();
    heartbeats.start();
    await jest.advanceTimersByTimeAsync(3500);
    expect(calls).toHaveLength(1);
    calls[0].answer(NO_CONTENT);
    await jest.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(2);
    calls[1].answer(NO_CONTENT);
    await heartbeats.stop();
  });

  it('starts no beat once the agent is stopping, and stop waits for the one in flight', async () => {
    const { heartbeats, calls, stopping } = setup();
    heartbeats.start();
    stopping.abort();
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
    let stopped = false;
    const stop = heartbeats.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    calls[0].answer(NO_CONTENT);
    await stop;
    expect(jest.getTimerCount()).toBe(0);
  });

  it('tells the agent when the token is refused, and logs other answers and failures', async () => {
    const { heartbeats, calls, lines, refused } = setup();
    heartbeats.start();
    calls[0].answer({ status: 401, body: { message: 'Unauthorized' } });
    await jest.advanceTimersByTimeAsync(1000);
    calls[1].answer({ status: 500, body: { message: 'Internal server error' } });
    await jest.advanceTimersByTimeAsync(1000);
    calls[2].answer(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }));
    await heartbeats.stop();
    expect(refused).toEqual(['the runner token was refused (was the runner removed?)']);
    expect(lines).toEqual(['heartbeat answered 500: Internal server error', 'heartbeat failed: ECONNRESET']);
  });

  it('says offline with the attempts it is given, and logs what went wrong', async () => {
    const { heartbeats, calls, lines } = setup();
    const sent = heartbeats.sendOffline(3);
    expect(calls.map((c) => [c.report, c.attempts])).toEqual([[{ state: 'offline' }, 3]]);
    calls[0].answer(NO_CONTENT);
    await sent;
    expect(lines).toEqual([]);

    const answered = heartbeats.sendOffline(1);
    calls[1].answer({ status: 503, body: 'unavailable' });
    await answered;
    const failed = heartbeats.sendOffline(1);
    calls[2].answer(new Error('timed out'));
    await failed;
    expect(calls.map((c) => c.attempts)).toEqual([3, 1, 1]);
    expect(lines).toEqual(['offline heartbeat answered 503: unavailable', 'offline heartbeat failed: timed out']);
  });
});
