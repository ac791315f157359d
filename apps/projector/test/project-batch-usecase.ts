import { randomBytes } from 'node:crypto';
import { TenantDigests, type VaultValues } from '@runtrail/integrity';
import type { ConsumedMessage } from '@runtrail/messaging';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { ActionRunProjection } from '../src/action-runs/action-run.projection';
import { AuditEventProjection } from '../src/audit-events/audit-event.projection';
import { CommandProjection } from '../src/commands/command.projection';
import { ErasureProjection } from '../src/erasure/erasure.projection';
import type { ProjectorConfig } from '../src/config/projector.config';
import { IntegrityLogAppender } from '../src/integrity/integrity-log.appender';
import { LogCandidates } from '../src/integrity/log-candidates';
import { DecodeBatch, type VaultReader } from '../src/projection/decode-batch';
import { ProjectBatchUseCase } from '../src/projection/project-batch.usecase';
import { projectorConsumerName } from '../src/projection/projection-names';
import { SettledDeadLetters } from '../src/projection/settled-dead-letters';
import { ScheduleProjection } from '../src/schedules/schedule.projection';

/** The projector's batch use case wired as its module wires it, without Nest, over a test database. */
/** A vault in memory, for tests that seal their own messages. */
export function memoryVault(digests = new TenantDigests(randomBytes(32)), entries: Record<string, VaultValues> = {}): VaultReader & { entries: Record<string, VaultValues> } {
  return { digests, entries, values: (key) => Promise.resolve({ ...(entries[key] ?? {}) }) };
}

/** The use case with one checkpoint row for every batch, as one partition's consumer would give. */
export type TestProjection = { execute(messages: ConsumedMessage[]): ReturnType<ProjectBatchUseCase['execute']> };

export function projectBatchUseCase(ds: DataSource, config: ProjectorConfig, vault: VaultReader = memoryVault()): TestProjection {
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  const metrics = new Metrics('projector-test');
  const runs = new ActionRunProjection();
  const useCase = new ProjectBatchUseCase(
    ds,
    new AuditEventProjection(),
    runs,
    new CommandProjection(),
    new ScheduleProjection(),
    new ErasureProjection(runs),
    new DecodeBatch(vault, config, new SettledDeadLetters()),
    new LogCandidates(vault.digests),
    new IntegrityLogAppender(logger, metrics),
    logger,
    metrics,
  );
  return { execute: (messages) => useCase.execute(messages, projectorConsumerName(config)) };
}
