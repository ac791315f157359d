import { Injectable } from '@nestjs/common';
import { checkpointLine, entryLine, headerLine, prefixLine } from '@runtrail/integrity';
import { LineFile } from '../../shared/downloads/line-file';
import { LogSigner } from '../log-signer';
import { LogView } from './log-view';
import { LogStretches, type LogStretch } from './log-stretch';

export interface ExportCommand {
  tenantId: string;
  start: number;
  end?: number;
}

/**
 * `GET /v1/integrity/export` (CONTRACT §6, docs/integrity.md#the-export-file): the stretch
 * of the log as NDJSON, each entry rebuilt from the rows readers see as verification does,
 * with the hashes before it and the checkpoints over it, so `runtrail verify` checks it
 * alone. It is what an auditor archives.
 */
@Injectable()
export class ExportLog {
  constructor(
    private readonly stretches: LogStretches,
    private readonly view: LogView,
    private readonly signer: LogSigner,
  ) {}

  async execute({ tenantId, start, end }: ExportCommand): Promise<LineFile> {
    // Read before the file starts: a database that is down answers 503, not a cut file.
    const stretch = await this.stretches.open(tenantId, start, end);
    return new LineFile(this.lines(stretch), 'application/x-ndjson', `runtrail-log-${tenantId}-${stretch.start}-${stretch.end}.ndjson`);
  }

  private async *lines(stretch: LogStretch): AsyncGenerator<string> {
    yield headerLine({ origin: stretch.origin, verifierKey: this.signer.key(stretch.tenantId).verifierKey });
    yield prefixLine(stretch.prefix);
    for await (const v of this.view.entries(stretch.tenantId, stretch.start, stretch.end, stretch.end === stretch.size)) yield entryLine(v.entry);
    for (const c of stretch.checkpoints) yield checkpointLine(c.note);
  }
}
