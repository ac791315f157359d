import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeysetPosition } from '@runtrail/persistence';
import { InvalidInputError } from '@runtrail/platform';

/** The sort key of the last record of a page: where the next page starts. */
export type CursorPosition = KeysetPosition;

const INVALID = 'cursor is not valid for this query; start again without cursor';

/**
 * Opaque keyset cursors: the position plus a fingerprint of the query's filters,
 * signed with a secret shared by all query replicas. A cursor the service did not
 * issue, or one issued for other filters, is refused with 400.
 */
export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  encode(position: CursorPosition, queryFingerprint: string): string {
    const body = Buffer.from(JSON.stringify({ ...position, q: queryFingerprint })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, queryFingerprint: string): CursorPosition {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || cursor.length > 512) throw new InvalidInputError(INVALID);
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidInputError(INVALID);
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPosition & { q: string };
    if (parsed.q !== queryFingerprint) throw new InvalidInputError(INVALID);
    return { t: parsed.t, i: parsed.i };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
  }
}
