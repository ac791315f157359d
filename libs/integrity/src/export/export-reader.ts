import { ExportFormatError, type ExportLine } from './export-format';
import { parseExportLine } from './export-line';

/** Where a reader is in the file: which line types may come next. */
const NEXT: Record<ExportLine['type'] | 'start', readonly ExportLine['type'][]> = {
  start: ['header'],
  header: ['prefix'],
  prefix: ['entry', 'checkpoint'],
  entry: ['entry', 'checkpoint'],
  checkpoint: ['checkpoint'],
};

/**
 * Reads an export file a line at a time, in order: one header, one prefix, the entries,
 * the checkpoints. It holds nothing but its place, so a file of any length streams through.
 * Every error is an ExportFormatError naming the line.
 */
export class ExportReader {
  private lines = 0;
  private last: ExportLine['type'] | 'start' = 'start';

  /** How many lines it has read. */
  get lineNumber(): number {
    return this.lines;
  }

  /** Parses the next line (its text without the newline). */
  line(text: string): ExportLine {
    this.lines++;
    let parsed: ExportLine;
    try {
      parsed = parseExportLine(text);
    } catch (error) {
      throw error instanceof ExportFormatError ? new ExportFormatError(error.message, this.lines) : error;
    }
    const allowed = NEXT[this.last];
    if (!allowed.includes(parsed.type)) {
      const where = this.last === 'start' ? 'first' : `after ${article(this.last)} line`;
      throw new ExportFormatError(`${article(parsed.type)} line ${where}: expected ${allowed.map(article).join(' or ')} line`, this.lines);
    }
    this.last = parsed.type;
    return parsed;
  }

  /** At the end of the file: throws unless the header and prefix were there. */
  finish(): void {
    if (this.last === 'start') throw new ExportFormatError('the file is empty: expected a header line');
    if (this.last === 'header') throw new ExportFormatError('the file ends after its header: expected a prefix line');
  }
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
