import type { KV } from '@nats-io/kv';
import { runnersBucketName } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';
import { generateSecret } from './api-key';
import { liveEntries } from './kv-entries';

export const RUNNER_TOKEN_PATTERN = /^rtr_[A-Za-z0-9]{40}$/;

export function generateRunnerToken(): string {
  return generateSecret('rtr');
}

/** A registered runner. Its token is stored only as a hash, under `token.<hash>`. */
export interface RunnerRecord {
  id: string;
  tenantId: string;
  name: string;
  /** Workspace names it serves; `*` serves every workspace of the tenant. */
  workspaces: string[];
  createdAt: string;
}

/** What the agent last said about itself. */
export interface RunnerPresence {
  lastSeenAt: string;
  state: 'online' | 'offline';
  hostname: string | null;
  version: string | null;
}

/** A runner is online after a heartbeat within this window, unless it said it stopped. */
export const ONLINE_WINDOW_MS = 30_000;

export function isOnline(presence: RunnerPresence | undefined, now = Date.now()): boolean {
  return presence?.state === 'online' && now - Date.parse(presence.lastSeenAt) < ONLINE_WINDOW_MS;
}

/**
 * Runners in a JetStream KV bucket (`<ns>-runners`): `runner.<id>`, `token.<hash>` -> id,
 * `presence.<id>`. Reads go to the bucket every time, so a removed runner's token is
 * refused from the moment it is removed (ADR 0007).
 */
export class RunnerStore {
  private constructor(readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<RunnerStore> {
    return new RunnerStore(await client.kvm.create(runnersBucketName(namespace), { history: 1, replicas }));
  }

  async save(record: RunnerRecord, tokenHash: string): Promise<void> {
    await this.kv.put(`runner.${record.id}`, JSON.stringify(record));
    await this.kv.put(`token.${tokenHash}`, record.id);
  }

  async findById(id: string): Promise<RunnerRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const entry = await this.kv.get(`runner.${id}`);
    return entry?.operation === 'PUT' ? entry.json<RunnerRecord>() : undefined;
  }

  async findByTokenHash(hash: string): Promise<RunnerRecord | undefined> {
    const entry = await this.kv.get(`token.${hash}`);
    return entry?.operation === 'PUT' ? this.findById(entry.string()) : undefined;
  }

  async list(): Promise<RunnerRecord[]> {
    return (await liveEntries(this.kv, 'runner.')).map((e) => e.json<RunnerRecord>());
  }

  /** Removes the runner and its token; its token is refused from now on. */
  async remove(record: RunnerRecord, tokenHash: string | undefined): Promise<void> {
    if (tokenHash) await this.kv.delete(`token.${tokenHash}`);
    else {
      for await (const key of await this.kv.keys('token.>')) {
        if ((await this.kv.get(key))?.string() === record.id) await this.kv.delete(key);
      }
    }
    await this.kv.delete(`runner.${record.id}`);
    await this.kv.delete(`presence.${record.id}`);
  }

  async setPresence(id: string, presence: RunnerPresence): Promise<void> {
    await this.kv.put(`presence.${id}`, JSON.stringify(presence));
  }

  async presence(id: string): Promise<RunnerPresence | undefined> {
    const entry = await this.kv.get(`presence.${id}`);
    return entry?.operation === 'PUT' ? entry.json<RunnerPresence>() : undefined;
  }
}
