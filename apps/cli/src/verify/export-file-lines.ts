import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { ExportFormatError, MAX_EXPORT_LINE_BYTES } from '@runtrail/integrity';

/**
 * Refuses a line longer than the limit while it streams by, so a file with no newline
 * (or a hostile one) never makes readline buffer it whole.
 */
class LineLengthGuard extends Transform {
  private run = 0;
  private line = 1;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, at);
      this.run += (newline < 0 ? chunk.length : newline) - at;
      if (this.run > this.max) return done(new ExportFormatError(`line longer than ${this.max} bytes`, this.line));
      if (newline < 0) return done(null, chunk);
      this.run = 0;
      this.line++;
      at = newline + 1;
    }
  }
}

/**
 * The lines of a file (without their newlines), read as a stream: only the current line
 * is in memory. Throws the file's read error (ENOENT, EISDIR, ...) or an ExportFormatError
 * for an over-long line. Stopping early closes the file.
 */
export async function* fileLines(path: string, maxLineBytes = MAX_EXPORT_LINE_BYTES): AsyncGenerator<string> {
  const guard = new LineLengthGuard(maxLineBytes);
  const file = createReadStream(path);
  pipeline(file, guard, () => undefined);
  const lines = createInterface({ input: guard, crlfDelay: Infinity });
  try {
    yield* lines;
  } finally {
    lines.close();
    file.destroy();
  }
}
