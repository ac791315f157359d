import type { DownloadFormat } from '../paging/paging-params.dto';

/**
 * A list answered whole as a file (`download=true`): the records, read lazily, and how
 * to write them. DownloadInterceptor turns it into the streamed answer.
 */
export class Download<T extends object> {
  constructor(
    readonly records: AsyncIterable<T>,
    readonly format: DownloadFormat,
    /** The file name's start: `<baseName>-<timestamp>.<format>`. */
    readonly baseName: string,
    /** The CSV columns, in order. */
    readonly fields: readonly (keyof T & string)[],
  ) {}
}
