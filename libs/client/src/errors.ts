/** The API answered with an error (the contract's `{statusCode, error, message}`). */
export class RuntrailApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(`Runtrail API answered ${status}: ${messages.join('; ')}`);
    this.name = 'RuntrailApiError';
  }

  /** 400 and 413: the request itself is wrong and will never be accepted as it is. */
  get rejected(): boolean {
    return this.status === 400 || this.status === 413 || this.status === 415;
  }
}

/** The API could not be reached or did not answer in time (after retries). */
export class RuntrailUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntrailUnavailableError';
  }
}
