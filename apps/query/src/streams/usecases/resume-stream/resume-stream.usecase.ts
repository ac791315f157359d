import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { StreamStatusView } from '@runtrail/contracts';
import { StreamChanges } from '../../stream-changes';

/** Delivers again from where the stream was paused: nothing that arrived meanwhile is skipped. */
@Injectable()
export class ResumeStream {
  constructor(private readonly changes: StreamChanges) {}

  execute({ auth, streamId }: { auth: AuthContext; streamId: string }): Promise<StreamStatusView> {
    return this.changes.setPaused(auth, streamId, false);
  }
}
