import type { ExportChunk, ExportFormat, ExportFraming } from '@runtrail/persistence';
import pLimit, { type Limit } from 'p-limit';
import type { CursorPosition } from '../paging/cursor-codec';

/** A list that can be downloaded: its records as lines of the file, in keyset chunks, newest first. */
export interface ExportSource<F> {
  /** The file's text around its lines (array brackets, header row). */
  framing(format: ExportFormat): ExportFraming;
  /** The next `limit` records after `after` (from the start without it), as the file's lines. */
  exportChunk(tenantId: string | null, filter: F, format: ExportFormat, limit: number, after?: CursorPosition): Promise<ExportChunk>;
  /** Where the next `count` chunks of `every` records after `after` end, as far as they are full. */
  exportChunkEnds(tenantId: string | null, filter: F, every: number, count: number, after?: CursorPosition): Promise<CursorPosition[]>;
}

/**
 * Records per read: one short query each, no transaction or connection held between them.
 * 5000 rather than 1000: a download spent as much on each read (planning, round trips, a
 * piece to write) as on hundreds of records; 1.1 to 1.2x the records per second for about
 * 20 MB more at the peak (docs/performance.md).
 */
export const EXPORT_CHUNK = 5000;
/**
 * Chunks read at once, each on its own connection: Postgres formats the lines and is the
 * limit, so two backends on the machine's two cores read about twice as fast (docs/adr/0023).
 */
export const EXPORT_READERS = 2;
/** Chunk ends found per walk of the keys (80,000 keys, about 20 ms). */
export const CHUNKS_PER_WALK = 16;
/**
 * Reads of all downloads at once in one service (chunks and walks): each holds one of the
 * pool's 10 connections while it runs, and pages and other reads must still find one
 * however many downloads run.
 */
export const EXPORT_READS_AT_ONCE = 4;

export interface ExportPace {
  chunkSize: number;
  readers: number;
  chunksPerWalk: number;
  /** Where every read of a download queues; one per service, shared by its downloads. */
  reads: Limit;
}

const PACE: ExportPace = { chunkSize: EXPORT_CHUNK, readers: EXPORT_READERS, chunksPerWalk: CHUNKS_PER_WALK, reads: pLimit(EXPORT_READS_AT_ONCE) };

const samePosition = (a?: CursorPosition, b?: CursorPosition) => a !== undefined && b !== undefined && a.t === b.t && a.i === b.i;

/**
 * The whole matching set's chunks, in order, pulled as the client reads. A walk of the
 * keys finds where the next chunks end, so that `readers` of them are read at once, each
 * continuing after the end the walk found for the one before. Each chunk is checked to end
 * where the walk said: if rows came or went in between, the chunks read ahead are dropped
 * and reading goes on after the chunk's own last record, so the file holds exactly what
 * reading the chunks one after the other would have given. At most `readers` chunks are
 * read ahead of the one the client takes; a client that stops reading stops the reads.
 */
async function* chunksOf<F>(source: ExportSource<F>, tenantId: string | null, filter: F, format: ExportFormat, pace: ExportPace): AsyncGenerator<ExportChunk> {
  const { chunkSize, readers, chunksPerWalk, reads } = pace;
  const read = (after?: CursorPosition) => {
    const chunk = reads(() => source.exportChunk(tenantId, filter, format, chunkSize, after));
    // Handled here so that a read dropped or left behind leaves no rejection unhandled; awaited below.
    chunk.catch(() => undefined);
    return chunk;
  };
  let after: CursorPosition | undefined;
  for (;;) {
    const ends = await reads(() => source.exportChunkEnds(tenantId, filter, chunkSize, chunksPerWalk, after));
    // Chunk k starts after starts[k]. Fewer ends than asked for: the chunk after the last end is the set's last.
    const starts = [after, ...(ends.length === chunksPerWalk ? ends.slice(0, -1) : ends)];
    // The reads ahead, oldest first; a chunk leaves the queue when it is taken, so only what is ahead is held.
    const ahead: Promise<ExportChunk>[] = [];
    let scheduled = 0;
    let chunk: ExportChunk | undefined;
    for (let k = 0; k < starts.length; k++) {
      for (; scheduled < Math.min(starts.length, k + readers); scheduled++) ahead.push(read(starts[scheduled]));
      chunk = await (ahead.shift() as Promise<ExportChunk>);
      yield chunk;
      if (chunk.records < chunkSize) return;
      if (!samePosition(chunk.last, ends[k])) break;
    }
    after = chunk?.last;
  }
}

/**
 * The whole matching set as the file's text: a piece per chunk of records (about 3 MB),
 * so the answer is written in large socket writes, in constant memory however large the
 * set. The first chunk is read before the first piece: a database that is down then
 * answers 503 with a JSON error instead of a file cut short. A failure after that can only
 * cut the file short.
 */
export async function* exportFile<F>(source: ExportSource<F>, tenantId: string | null, filter: F, format: ExportFormat, pace: Partial<ExportPace> = {}): AsyncGenerator<string> {
  const { head, first, between, tail } = source.framing(format);
  let started = false;
  for await (const chunk of chunksOf(source, tenantId, filter, format, { ...PACE, ...pace })) {
    if (!chunk.records) continue;
    // Two pieces rather than one joined string: joining would copy the chunk's text once more.
    yield started ? between : head + first;
    yield chunk.text;
    started = true;
  }
  yield started ? tail : head + tail;
}
