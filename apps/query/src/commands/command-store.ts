import type { KV } from '@nats-io/kv';
import type { CommandView } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';
import { ConflictError } from '@runtrail/platform';

/**
 * The authoritative state of a command: what the API shows plus what the runner needs.
 * The last three are absent from commands stored before they existed.
 */
export interface CommandState extends CommandView {
  tenantId: string;
  workspace: string;
  block: string;
  action: string;
  /** The run's block reference and version, so the new run reports the same block. */
  blockFrom?: string | null;
  blockVersion?: string | null;
  /** The correlation id the new run carries (CONTRACT §9). */
  correlationId?: string | null;
}

export interface Versioned<T> {
  value: T;
  revision: number;
}

/**
 * Commands in a JetStream KV bucket (`<ns>-commands`). Every change is a
 * compare-and-set on the entry's revision, so two runners (or one runner twice)
 * can never both accept the same command (ADR 0007).
 */
export class CommandStore {
  private constructor(private readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<CommandStore> {
    return new CommandStore(await client.kvm.create(`${namespace}-commands`, { history: 1, replicas }));
  }

  /** A new command; 409 when one with its id exists (a schedule's firing has a fixed id, so it is created once). */
  async create(state: CommandState): Promise<Versioned<CommandState>> {
    try {
      const revision = await this.kv.create(`cmd.${state.id}`, JSON.stringify(state));
      return { value: state, revision };
    } catch {
      throw new ConflictError(`command ${state.id} exists already`);
    }
  }

  /** By id in lower case; anything that is not one is simply not found. */
  async get(id: string): Promise<Versioned<CommandState> | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const entry = await this.kv.get(`cmd.${id}`);
    return entry?.operation === 'PUT' ? { value: entry.json<CommandState>(), revision: entry.revision } : undefined;
  }

  /** Replaces the command with `value` if it is still at `expected.revision`; else 409. */
  async update(expected: Versioned<CommandState>, value: CommandState): Promise<Versioned<CommandState>> {
    try {
      const revision = await this.kv.update(`cmd.${value.id}`, JSON.stringify(value), expected.revision);
      return { value, revision };
    } catch {
      throw new ConflictError(`command ${value.id} changed meanwhile`);
    }
  }
}
