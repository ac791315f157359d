import type { AuditRecord } from '@runtrail/contracts';

/** A delivery that did not reach the receiver (refused, timed out, non-2xx); `retryAfterMs` when it said when to come back. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** One kind of receiver: sends records in the order given, all or nothing as far as the caller knows. */
export interface DeliveryTarget {
  /** The most records one `send` takes. */
  readonly maxRecords: number;
  /** Resolves once the receiver took every record; rejects with a DeliveryError. */
  send(records: AuditRecord[]): Promise<void>;
  /** Lets go of a kept connection, for targets that keep one. */
  close?(): void;
}
