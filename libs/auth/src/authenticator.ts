import { SCOPES, VIEWER_TOKEN_PATTERN, hasValidChecksum } from '@runtrail/contracts';
import { DependencyUnavailableError, UnauthenticatedError, type Clock } from '@runtrail/platform';
import { hashApiKey } from './api-key';
import { isKeyInactive } from './api-key-record';
import { ROOT_PRINCIPAL, type AuthContext } from './auth-context';
import type { KeyStore } from './key-store';
import type { RootKey } from './root-key';
import { RUNNER_TOKEN_PATTERN, type RunnerStore } from './runner-store';
import { ROOT_CREATOR, isViewerTokenExpired, type ViewerTokenStore } from './viewer-token-store';

const KEY_STORE_DOWN = 'key store (NATS) is unreachable; retry later';

/** Resolves a bearer key to who is calling, or refuses it. */
export class Authenticator {
  constructor(
    private readonly store: KeyStore,
    private readonly rootKey: RootKey,
    private readonly runners: RunnerStore,
    private readonly viewers: ViewerTokenStore,
    private readonly clock: Clock,
  ) {}

  /**
   * A runner reports the runs it executes under its own identity, and may do nothing
   * else with a key's powers (ADR 0007).
   */
  private async authenticateRunner(hash: string): Promise<AuthContext> {
    const runner = await this.runners.findByTokenHash(hash).catch(() => {
      throw new DependencyUnavailableError('runner registry (NATS) is unreachable; retry later');
    });
    if (!runner) throw new UnauthenticatedError();
    return {
      keyId: runner.id,
      tenantId: runner.tenantId,
      principal: { type: 'Application', id: runner.id, name: runner.name },
      scopes: ['events:write'],
      runnerId: runner.id,
    };
  }

  /**
   * A viewer token reads its tenant's timeline until it expires, and only while the key
   * that created it works: revoking that key, or the end of its rotation overlap, ends its
   * tokens too (ADR 0012).
   */
  private async authenticateViewer(hash: string): Promise<AuthContext> {
    const token = await this.viewers.findByHash(hash).catch(() => {
      throw new DependencyUnavailableError(KEY_STORE_DOWN);
    });
    const now = this.clock.now();
    if (!token || isViewerTokenExpired(token, now)) throw new UnauthenticatedError('unknown, expired or revoked viewer token');
    if (token.createdBy !== ROOT_CREATOR) {
      const creator = await this.store.findById(token.createdBy).catch(() => {
        throw new DependencyUnavailableError(KEY_STORE_DOWN);
      });
      if (!creator || isKeyInactive(creator.record, now)) throw new UnauthenticatedError('unknown, expired or revoked viewer token');
    }
    return {
      keyId: token.id,
      tenantId: token.tenantId,
      principal: { type: 'Application', id: token.id, name: 'viewer' },
      scopes: ['audit:read'],
      expiresAt: token.expiresAt,
      viewer: { sourceId: token.sourceId },
    };
  }

  async authenticate(authorization: string | undefined): Promise<AuthContext> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError('missing API key: send Authorization: Bearer <key>');
    const key = match[1];
    if (key.length > 256) throw new UnauthenticatedError();
    const hash = hashApiKey(key);
    if (this.rootKey.matches(hash)) {
      return { keyId: 'root', tenantId: null, principal: ROOT_PRINCIPAL, scopes: SCOPES };
    }
    // A mistyped or made-up secret fails its checksum: refused without a look-up.
    if (!hasValidChecksum(key)) throw new UnauthenticatedError();
    if (RUNNER_TOKEN_PATTERN.test(key)) return this.authenticateRunner(hash);
    if (VIEWER_TOKEN_PATTERN.test(key)) return this.authenticateViewer(hash);
    const record = await this.store.findByHash(hash).catch(() => {
      // The key bucket is unreachable (NATS down): the caller may retry, it is not refused.
      throw new DependencyUnavailableError(KEY_STORE_DOWN);
    });
    const now = this.clock.now();
    if (!record || isKeyInactive(record, now)) throw new UnauthenticatedError();
    this.store.touch(record.id, now);
    return {
      keyId: record.id,
      tenantId: record.tenantId,
      principal: { type: record.principalType, id: record.id, name: record.name },
      scopes: record.scopes,
      expiresAt: record.expiresAt ?? null,
    };
  }
}
