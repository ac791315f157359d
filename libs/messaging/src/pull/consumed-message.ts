/** One stream message as a handler sees it. */
export interface ConsumedMessage {
  /** The message's stream sequence: its position in the record. */
  seq: number;
  subject: string;
  data: Uint8Array;
  /** How many times the consumer has delivered it, this time included (absent where unknown). */
  deliveries?: number;
}

/**
 * What becomes of the messages a handler returned from: acknowledged (also when it
 * returns nothing), given back for redelivery after a delay, or terminated (never
 * delivered again: a message that can never be handled).
 */
export type Settlement = 'ack' | 'term' | { nakDelayMs: number };

/**
 * Handles one batch (one message for a consumer of batch size 1). Resolving settles the
 * batch as returned; throwing means "not now" (a dependency is down): the same batch is
 * handed over again, in order, until it succeeds or the loop stops.
 */
export type BatchHandler = (batch: ConsumedMessage[]) => Promise<Settlement | void>;
