/**
 * A row's stream position: `stream_seq × 1024 + index of the event in its message`. It
 * grows in stream order and is the same when the tables are rebuilt from the stream.
 */
export const POSITIONS_PER_MESSAGE = 1024;

export function streamPosition(streamSeq: number, index: number): string {
  return (BigInt(streamSeq) * BigInt(POSITIONS_PER_MESSAGE) + BigInt(index)).toString();
}

/** The stream sequence of the message a row came from. */
export function streamSeqOf(position: string): number {
  return Number(BigInt(position) / BigInt(POSITIONS_PER_MESSAGE));
}
