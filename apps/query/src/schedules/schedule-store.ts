import type { KV } from '@nats-io/kv';
import { liveEntries } from '@runtrail/auth';
import type { Principal, ScheduleView, Scope } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';
import { ConflictError } from '@runtrail/platform';
import type { Versioned } from '../commands/command-store';

/** The key that created a schedule: its firings are re-triggers in its name, while it is valid. */
export interface ScheduleCreatorKey {
  keyId: string;
  /** Null for the root key. */
  tenantId: string | null;
  principal: Principal;
  scopes: Scope[];
}

/** The authoritative state of a schedule: what the API shows plus what its firings need. */
export interface ScheduleState extends ScheduleView {
  tenantId: string;
  creator: ScheduleCreatorKey;
  /** `<block>.<action>` of the run, the timeline's entityName. */
  entityName: string;
  updatedAt: string;
  /** Set as the last write before the entry is removed, so its fact orders after every other. */
  deleted: boolean;
}

const PREFIX = 'schedule.';
/** Attempts of a change that lost a compare-and-set to a firing or another change. */
const ATTEMPTS = 5;

/**
 * Schedules in a JetStream KV bucket (`<ns>-schedules`). Every change is a compare-and-set on
 * the entry's revision, so of several replicas firing the same tick only one wins (ADR 0014).
 */
export class ScheduleStore {
  private constructor(private readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<ScheduleStore> {
    return new ScheduleStore(await client.kvm.create(`${namespace}-schedules`, { history: 1, replicas }));
  }

  async create(state: ScheduleState): Promise<Versioned<ScheduleState>> {
    const revision = await this.kv.create(`${PREFIX}${state.id}`, JSON.stringify(state));
    return { value: state, revision };
  }

  /** By id in lower case; anything that is not one, or a deleted schedule, is simply not found. */
  async get(id: string): Promise<Versioned<ScheduleState> | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const entry = await this.kv.get(`${PREFIX}${id}`);
    if (entry?.operation !== 'PUT') return undefined;
    const value = entry.json<ScheduleState>();
    return value.deleted ? undefined : { value, revision: entry.revision };
  }

  /** Every schedule, read from the bucket. */
  async list(): Promise<Versioned<ScheduleState>[]> {
    return (await liveEntries(this.kv, PREFIX))
      .map((e) => ({ value: e.json<ScheduleState>(), revision: e.revision }))
      .filter((s) => !s.value.deleted);
  }

  /** Replaces the schedule with `value` if it is still at `expected.revision`; else 409. */
  async update(expected: Versioned<ScheduleState>, value: ScheduleState): Promise<Versioned<ScheduleState>> {
    try {
      const revision = await this.kv.update(`${PREFIX}${value.id}`, JSON.stringify(value), expected.revision);
      return { value, revision };
    } catch {
      throw new ConflictError(`schedule ${value.id} changed meanwhile`);
    }
  }

  /**
   * Applies `change` to the schedule as it is now, again on a fresh read when a firing or
   * another change got in between. Answers undefined when the schedule is gone, and the
   * current state unchanged when `change` answers undefined (nothing to do).
   */
  async change(id: string, change: (s: ScheduleState) => ScheduleState | undefined): Promise<{ result: Versioned<ScheduleState>; changed: boolean } | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      if (!current) return undefined;
      const next = change(current.value);
      if (!next) return { result: current, changed: false };
      try {
        return { result: await this.update(current, next), changed: true };
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  /** Drops a deleted schedule's entry; its last write (deleted) already told the stream. */
  async remove(id: string): Promise<void> {
    await this.kv.delete(`${PREFIX}${id}`);
  }
}
