import { randomUUID } from 'node:crypto';
import { auditEvent } from '../events';
import { request } from '../http';
import type { SubmittedEvent } from './classify';

export interface LoadOptions {
  ingestUrl: string;
  /** One events:write key per tenant. */
  keys: string[];
  /** Clients submitting at once. */
  clients: number;
  /** Events per request. */
  batch: number;
}

/**
 * The fault suite's clients: each submits batches of audit events and action-run reports,
 * and retries a batch with the same ids (as a real client does) until it gets a 202 or the
 * load stops. An event some attempt got a 202 for is acknowledged; any other is unknown.
 */
export class FaultLoad {
  private readonly events = new Map<string, SubmittedEvent & { kind: 'audit' | 'run' }>();
  private running = false;
  private loops: Promise<void>[] = [];
  /** While set, every client waits for it to open before its next request. */
  private gate?: { opened: Promise<void>; open: () => void };
  private readonly inFlight = new Set<Promise<number>>();

  constructor(private readonly o: LoadOptions) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.o.clients }, (_, i) => this.client(i));
  }

  /** Stops submitting: every client ends its attempt in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.resume();
    await Promise.all(this.loops);
  }

  /**
   * Holds every client before its next request; resolves once no request is in flight, so
   * every event acknowledged so far is in the stream and nothing more is being written.
   */
  async pause(): Promise<void> {
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate ??= { opened, open };
    await Promise.all([...this.inFlight]);
  }

  /** Lets the clients go on after `pause`. */
  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  submitted(kind: 'audit' | 'run'): SubmittedEvent[] {
    return [...this.events.values()].filter((e) => e.kind === kind).map(({ id, acknowledged }) => ({ id, acknowledged }));
  }

  private async client(i: number): Promise<void> {
    const key = this.o.keys[i % this.o.keys.length] as string;
    for (let n = 0; this.running; n++) {
      const kind = n % 2 === 0 ? 'audit' : 'run';
      const items = Array.from({ length: this.o.batch }, () => (kind === 'audit' ? auditEvent({ eventId: randomUUID() }) : runReport()));
      const ids = items.map((e) => (kind === 'audit' ? e.eventId : e.id) as string);
      for (const id of ids) this.events.set(id, { id, acknowledged: false, kind });
      // The same batch again, same ids, until it is acknowledged or the load ends.
      while (this.running) {
        if (this.gate) {
          await this.gate.opened;
          continue;
        }
        const attempt = request('POST', `${this.o.ingestUrl}${kind === 'audit' ? '/v1/audit-events' : '/v1/action-runs'}`, { key, body: items })
          .then((r) => r.status)
          .catch(() => 0);
        this.inFlight.add(attempt);
        const status = await attempt;
        this.inFlight.delete(attempt);
        if (status === 202) {
          for (const id of ids) this.events.set(id, { id, acknowledged: true, kind });
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

/** A finished action run, as a CLI reports it once at the end. */
export function runReport(): Record<string, unknown> {
  return {
    id: randomUUID(),
    workspace: { name: 'faults' },
    block: { name: 'k8s', from: 'registry/k8s:1.0.0' },
    action: 'deploy',
    status: 'successful',
    startedAt: '2026-11-30T09:00:00.000Z',
    finishedAt: '2026-11-30T09:00:10.000Z',
    exitCode: 0,
  };
}
