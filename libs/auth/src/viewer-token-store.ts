import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { generateSecret } from './api-key';
import { liveEntries } from './kv-entries';

const VIEWER_PREFIX = 'viewer.';
/** Expired tokens' entries are swept at most this often per process. */
const SWEEP_INTERVAL_MS = 60_000;

/** The id a viewer token records as its creator when the root key made it. */
export const ROOT_CREATOR = 'root';

export function generateViewerToken(): string {
  return generateSecret('rtv');
}

/**
 * A viewer token: read-only access to one tenant's timeline (optionally one source's
 * entries only) for an embedded view, until `expiresAt`, and only while the key that
 * created it works. Stored as `viewer.<hash>` in the key bucket; the token itself never is.
 */
export interface ViewerTokenRecord {
  id: string;
  tenantId: string;
  /** Only entries whose `sourceId` equals this; null: every entry of the tenant. */
  sourceId: string | null;
  createdAt: string;
  expiresAt: string;
  /** The id of the key that created it, or `root`. */
  createdBy: string;
}

export function isViewerTokenExpired(record: ViewerTokenRecord, now: number): boolean {
  return Date.parse(record.expiresAt) <= now;
}

/**
 * Viewer tokens in the key bucket (`<ns>-auth`), beside the keys, read from the bucket
 * on every use (no cache: a token lives minutes to a day, and is looked at by the one
 * embed that holds it). See docs/adr/0012-viewer-tokens.md.
 */
export class ViewerTokenStore {
  private sweptAt: number | undefined;

  constructor(
    private readonly kv: KV,
    private readonly log: Logger,
  ) {}

  async save(hash: string, record: ViewerTokenRecord): Promise<void> {
    await this.kv.put(`${VIEWER_PREFIX}${hash}`, JSON.stringify(record));
  }

  async findByHash(hash: string): Promise<ViewerTokenRecord | undefined> {
    const entry = await this.kv.get(`${VIEWER_PREFIX}${hash}`);
    return entry?.operation === 'PUT' ? entry.json<ViewerTokenRecord>() : undefined;
  }

  /**
   * Deletes the entries of tokens expired at `now`. They are refused anyway; this only
   * keeps the bucket from growing with every token ever issued. Returns how many went.
   */
  async removeExpired(now: number): Promise<number> {
    const expired = (await liveEntries(this.kv, VIEWER_PREFIX)).filter((e) => isViewerTokenExpired(e.json<ViewerTokenRecord>(), now));
    await Promise.all(expired.map((e) => this.kv.delete(e.key)));
    return expired.length;
  }

  /**
   * Starts `removeExpired(now)` at most once a minute per process, without waiting for it:
   * the sweep reads every `viewer.*` entry, which a token's creation must not pay for, nor
   * fail by (the token is saved by then). A failed sweep is logged; the next one is a minute later.
   */
  sweepExpired(now: number): void {
    if (this.sweptAt !== undefined && now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    this.removeExpired(now).catch((err: unknown) => {
      this.log.warn({ err }, 'could not remove expired viewer tokens from the key bucket');
    });
  }
}
