import type { DownloadFormat } from '../paging/paging-params.dto';

/**
 * A list answered whole as a file (`download=true`): the file's text, read lazily in
 * pieces (`exportFile`), and what to call it. DownloadInterceptor turns it into the
 * streamed answer.
 */
export class Download {
  constructor(
    readonly chunks: AsyncIterable<string>,
    readonly format: DownloadFormat,
    /** The file name's start: `<baseName>-<timestamp>.<format>`. */
    readonly baseName: string,
  ) {}
}
