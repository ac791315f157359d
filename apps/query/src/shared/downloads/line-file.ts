/**
 * A file of lines answered as an attachment (NDJSON, say): the lines are pulled as the
 * client reads. DownloadInterceptor streams it as it does a Download. Whatever can fail
 * before the first line should be done before this is made, so that it fails as an error
 * answer rather than a file cut short.
 */
export class LineFile {
  constructor(
    readonly lines: AsyncIterable<string>,
    readonly contentType: string,
    /** The attachment's name. */
    readonly fileName: string,
  ) {}
}
