import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ViewerTokenStore, generateViewerToken, hashApiKey, type AuthContext, type ViewerTokenRecord } from '@runtrail/auth';
import { Clock, InvalidInputError } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
import { assertMayGrantViewer, embedUrl, viewerExpiry, viewerTenant } from '../../viewer-token-rules';
import type { CreatedViewerTokenView } from '../../viewer-token-views';

export interface CreateViewerTokenCommand {
  auth: AuthContext;
  ttlSeconds?: number;
  sourceId?: string;
  tenantId?: string;
  /** The origin the request came to; PUBLIC_URL, when set, is used instead. */
  requestOrigin?: string;
}

/**
 * Issues a read-only token for one tenant's timeline (docs/api.md#post-v1-viewer-tokens,
 * ADR 0012): stored hashed in the key bucket, tied to the creating key, entered in the
 * tenant's timeline without the token; the token itself is in this answer only.
 */
@Injectable()
export class CreateViewerToken {
  constructor(
    private readonly store: ViewerTokenStore,
    private readonly timeline: TimelineRecorder,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, ttlSeconds, sourceId, tenantId: requested, requestOrigin }: CreateViewerTokenCommand): Promise<CreatedViewerTokenView> {
    const tenantId = viewerTenant(auth, requested);
    assertMayGrantViewer(auth);
    const origin = this.config.PUBLIC_URL ?? requestOrigin;
    if (origin === undefined) throw new InvalidInputError(['the request has no valid Host header to build the url from; the operator can set PUBLIC_URL']);
    const now = this.clock.now();
    const token = generateViewerToken();
    const record: ViewerTokenRecord = {
      id: randomUUID(),
      tenantId,
      sourceId: sourceId ?? null,
      createdAt: new Date(now).toISOString(),
      expiresAt: viewerExpiry(now, ttlSeconds, auth.expiresAt),
      createdBy: auth.keyId,
    };
    await this.store.save(hashApiKey(token), record);
    await this.timeline.record(auth, {
      tenantId,
      action: 'Create',
      entityType: 'ViewerToken',
      entityId: record.id,
      entityName: 'viewer',
      context: { expires_at: record.expiresAt, ...(record.sourceId === null ? {} : { source_id: record.sourceId }) },
    });
    // Expired tokens are refused anyway; dropping their entries now and then keeps the bucket small.
    this.store.sweepExpired(now);
    return { token, expiresAt: record.expiresAt, url: embedUrl(origin, token), tenantId, sourceId: record.sourceId };
  }
}
