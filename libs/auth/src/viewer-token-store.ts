import type { KV } from '@nats-io/kv';
import { generateSecret } from './api-key';
import { liveEntries } from './kv-entries';

const VIEWER_PREFIX = 'viewer.';

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
  constructor(private readonly kv: KV) {}

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
}
