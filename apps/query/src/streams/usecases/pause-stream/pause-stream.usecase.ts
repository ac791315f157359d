import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { StreamStatusView } from '@runtrail/contracts';
import { StreamChanges } from '../../stream-changes';

/** Stops a stream's deliveries where they are; what arrives meanwhile waits for the resume. */
@Injectable()
export class PauseStream {
  constructor(private readonly changes: StreamChanges) {}

  execute({ auth, streamId }: { auth: AuthContext; streamId: string }): Promise<StreamStatusView> {
    return this.changes.setPaused(auth, streamId, true);
  }
}
