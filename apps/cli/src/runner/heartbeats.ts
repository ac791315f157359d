import { answerMessage, describeError, type RunnerClient } from '@runtrail/client';
import type { RunnerHost } from './command-handler';

export const HEARTBEAT_EVERY_MS = 10_000;

export interface HeartbeatDeps {
  api: Pick<RunnerClient, 'heartbeat'>;
  host: Pick<RunnerHost, 'hostname' | 'cliVersion'>;
  log: (line: string) => void;
  /** Told when the server refuses the token (401): the runner was removed, the agent stops. */
  onRefused: (message: string) => void;
  /** Aborted when the agent is asked to stop: no regular beat starts after it. */
  stopping: AbortSignal;
  everyMs?: number;
}

/**
 * Keeps the runner online in `GET /v1/runners` (with its host name and version) while it
 * serves, and says offline when it stops rather than leaving the list to notice.
 */
export class Heartbeats {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;

  constructor(private readonly deps: HeartbeatDeps) {}

  /** One beat now, then one every `everyMs`; a beat still waiting for its answer skips the next. */
  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.deps.everyMs ?? HEARTBEAT_EVERY_MS);
  }

  /** No more beats; resolves once the one in flight, if any, has its answer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  /** `{ state: "offline" }`: the last word, so `attempts` is 1 when the agent is in a hurry. */
  async sendOffline(attempts: number): Promise<void> {
    try {
      const answer = await this.deps.api.heartbeat({ state: 'offline' }, attempts);
      if (answer.status !== 204) this.deps.log(`offline heartbeat answered ${answer.status}: ${answerMessage(answer)}`);
    } catch (error) {
      this.deps.log(`offline heartbeat failed: ${describeError(error)}`);
    }
  }

  private beat(): void {
    if (this.inFlight || this.deps.stopping.aborted) return;
    this.inFlight = this.send().finally(() => (this.inFlight = undefined));
  }

  private async send(): Promise<void> {
    const { api, host, log } = this.deps;
    try {
      const answer = await api.heartbeat({ hostname: host.hostname, version: host.cliVersion });
      if (answer.status === 401) this.deps.onRefused('the runner token was refused (was the runner removed?)');
      else if (answer.status !== 204) log(`heartbeat answered ${answer.status}: ${answerMessage(answer)}`);
    } catch (error) {
      log(`heartbeat failed: ${describeError(error)}`);
    }
  }
}
