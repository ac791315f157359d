import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext } from '@runtrail/auth';
import { commandSubject, eventStreamName, runnerConsumerName } from '@runtrail/contracts';
import { COMMAND_SIGNING_KEYS, type CommandSigningKeys } from '../../../shared/command-signing/signing-keys';
import { QueryConfig } from '../../../shared/config/query.config';
import { callingRunner } from '../../calling-runner';
import type { RunnerSessionView } from '../../runner-views';

/** Tells the runner agent who it is, where its commands arrive and which key signs them. */
@Injectable()
export class GetRunnerSession {
  constructor(
    private readonly store: RunnerStore,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    @Inject(COMMAND_SIGNING_KEYS) private readonly keys: CommandSigningKeys,
  ) {}

  async execute({ auth }: { auth: AuthContext }): Promise<RunnerSessionView> {
    const runner = await callingRunner(this.store, auth);
    const ns = this.config.RUNTRAIL_NAMESPACE;
    return {
      runnerId: runner.id,
      tenantId: runner.tenantId,
      name: runner.name,
      workspaces: runner.workspaces,
      stream: eventStreamName(ns),
      consumer: runnerConsumerName(ns, runner.id),
      subject: commandSubject(ns, runner.tenantId, runner.id),
      signingPublicKey: this.keys.publicKeyPem,
    };
  }
}
