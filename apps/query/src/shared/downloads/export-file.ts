import type { ExportChunk, ExportFormat, ExportFraming } from '@runtrail/persistence';
import type { CursorPosition } from '../paging/cursor-codec';

/** A list that can be downloaded: its records as lines of the file, in keyset chunks, newest first. */
export interface ExportSource<F> {
  /** The file's text around its lines (array brackets, header row). */
  framing(format: ExportFormat): ExportFraming;
  /** The next `limit` records after `after` (from the start without it), as lines. */
  exportChunk(tenantId: string | null, filter: F, format: ExportFormat, limit: number, after?: CursorPosition): Promise<ExportChunk>;
}

/**
 * Records per read: one short query each, no transaction or connection held between them.
 * 5000 rather than 1000: a download spent as much on each read (planning, round trips, a
 * piece to write) as on hundreds of records; 1.1 to 1.2x the records per second for about
 * 20 MB more at the peak (docs/performance.md).
 */
export const EXPORT_CHUNK = 5000;
/**
 * The whole matching set as the file's text, pulled as the client reads: one piece per
 * chunk of records (about 3 MB), so the answer is written in large socket writes. It reads
 * the set in keyset chunks (constant memory, however large the set), and reads the next
 * chunk while the current one is written, so Postgres formats while Node sends; at most
 * two chunks are held, and a client that stops reading stops the reads (the response's
 * back-pressure stops pulling this generator). The first chunk is read before the first
 * piece: a database that is down then answers 503 with a JSON error instead of a file cut
 * short. A failure after that can only cut the file short.
 */
export async function* exportFile<F>(
  source: ExportSource<F>,
  tenantId: string | null,
  filter: F,
  format: ExportFormat,
  chunkSize = EXPORT_CHUNK,
): AsyncGenerator<string> {
  const read = (after?: CursorPosition) => source.exportChunk(tenantId, filter, format, chunkSize, after);
  const { head, first, between, tail } = source.framing(format);
  let chunk = await read();
  let start = head + (chunk.lines.length ? first : '');
  for (;;) {
    const next = chunk.lines.length === chunkSize ? read(chunk.last) : undefined;
    // Handled here so that a client leaving mid-read leaves no rejection unhandled; awaited below.
    next?.catch(() => undefined);
    const text = start + chunk.lines.join(between);
    if (!next) {
      yield text + tail;
      return;
    }
    yield text;
    start = between;
    chunk = await next;
    if (!chunk.lines.length) start = '';
  }
}
