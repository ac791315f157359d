import type { ApiAnswer, HeartbeatReport, RunnerClient, RunnerSession } from '@runtrail/client';
import { runnerSession } from '../../test/runner-session.fixture';
import type { CommandLoop } from './command-loop';
import { RunnerAgent } from './runner-agent';
import type { RunnerOptions } from './runner-options';

const session = runnerSession();

const options: RunnerOptions = {
  token: 'rtr_test',
  exec: 'polycrate run {block} {action}',
  execWords: ['polycrate', 'run', '{block}', '{action}'],
  ingestUrl: 'http://ingest.invalid',
  queryUrl: 'http://query.invalid',
  natsServers: ['nats://nats.invalid:4222'],
  namespace: 'runtrail',
};

/** An agent with a fake API and a command loop that serves nothing until the agent stops. */
function setup(sessionAnswer: ApiAnswer, heartbeatAnswer: ApiAnswer = { status: 204, body: undefined }) {
  const lines: string[] = [];
  const heartbeats: [HeartbeatReport, number | undefined][] = [];
  const api = {
    session: jest.fn(async () => sessionAnswer),
    heartbeat: jest.fn(async (report: HeartbeatReport, attempts?: number) => {
      heartbeats.push([report, attempts]);
      return heartbeatAnswer;
    }),
  } as unknown as RunnerClient;
  let serving!: () => void;
  const served = new Promise<void>((resolve) => (serving = resolve));
  const closed: boolean[] = [];
  const commandLoop = (_session: RunnerSession, stopping: AbortSignal): CommandLoop => ({
    run: () => {
      serving();
      return new Promise<void>((resolve) => {
        if (stopping.aborted) resolve();
        stopping.addEventListener('abort', () => resolve());
      });
    },
    close: async (hurried) => {
      closed.push(hurried);
    },
  });
  const agent = new RunnerAgent({ options, host: { hostname: 'ci-1', cliVersion: '1.2.3' }, log: (l) => lines.push(l), api, commandLoop });
  return { agent, api, lines, heartbeats, served, closed };
}

describe('RunnerAgent', () => {
  it('serves until stopped, then says offline, closes the loop gently and exits 0', async () => {
    const { agent, lines, heartbeats, served, closed } = setup({ status: 200, body: session });
    const code = agent.run();
    await served;
    expect(heartbeats).toEqual([[{ hostname: 'ci-1', version: '1.2.3' }, undefined]]);
    agent.stop();
    expect(agent.stopRequested).toBe(true);
    await expect(code).resolves.toBe(0);
    expect(heartbeats.slice(1)).toEqual([[{ state: 'offline' }, 3]]);
    expect(closed).toEqual([false]);
    expect(lines).toEqual([
      'serving runner ci (runner-1) of tenant acme for workspaces acme-prod; commands from runtrail-events/runtrail-runner-runner-1',
      'stopped',
    ]);
  });

  it('exits 1 in a hurry when killed: one offline attempt, the connection closed at once', async () => {
    const { agent, heartbeats, served, closed } = setup({ status: 200, body: session });
    const code = agent.run();
    await served;
    agent.stop();
    agent.kill();
    await expect(code).resolves.toBe(1);
    expect(heartbeats.slice(1)).toEqual([[{ state: 'offline' }, 1]]);
    expect(closed).toEqual([true]);
  });

  it('stops with exit 1 when a heartbeat finds the token refused', async () => {
    const { agent, lines, closed } = setup({ status: 200, body: session }, { status: 401, body: { message: 'Unauthorized' } });
    await expect(agent.run()).resolves.toBe(1);
    expect(lines).toContain('the runner token was refused (was the runner removed?); stopping');
    expect(closed).toEqual([false]);
    expect(lines[lines.length - 1]).toBe('stopped');
  });

  it('notes a session whose stream is outside its namespace', async () => {
    const { agent, lines, served } = setup({ status: 200, body: { ...session, stream: 'other-events' } });
    const code = agent.run();
    await served;
    agent.stop();
    await code;
    expect(lines[1]).toBe("note: the session's stream other-events is not in namespace runtrail; using the session's");
  });

  it('ends without serving when stopped while the session is retried', async () => {
    const { agent, api, lines } = setup({ status: 503, body: 'down' });
    const code = agent.run();
    agent.stop();
    await expect(code).resolves.toBe(0);
    expect(api.session).toHaveBeenCalledTimes(1);
    expect(api.heartbeat).not.toHaveBeenCalled();
    expect(lines).toEqual(['the query service at http://query.invalid answered 503; retrying in 1 s']);
  });
});
