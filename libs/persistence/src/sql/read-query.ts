/** A parameterised read and how to turn each row it returns into a record. */
export interface ReadQuery<R> {
  text: string;
  values: unknown[];
  decode(raw: Record<string, unknown>): R;
}

/**
 * A parameterised read whose rows arrive as arrays of column values in select order,
 * `timestamptz` columns as Postgres's text, decoded all together (TenantReader.readValues).
 */
export interface ValuesQuery<R> {
  text: string;
  values: unknown[];
  decodeRows(rows: unknown[][]): R;
}

/** The sort key of the last record of a page: where the next page starts (newest first). */
export interface KeysetPosition {
  /** Sort timestamp, ISO-8601 UTC with milliseconds. */
  t: string;
  /** Tie-breaking id. */
  i: string;
}

/** Which slice of a list to read: `limit` rows after `offset`, after a keyset position. */
export interface PageWindow {
  limit: number;
  offset: number;
  after?: KeysetPosition;
}
