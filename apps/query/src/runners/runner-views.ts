import { ApiProperty } from '@nestjs/swagger';
import { isOnline, type RunnerPresence, type RunnerRecord } from '@runtrail/auth';

export class RunnerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], example: ['acme-prod'] }) workspaces!: string[];
  @ApiProperty({ description: 'A heartbeat within the last 30 seconds, and not stopped' }) online!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) hostname!: string | null;
  @ApiProperty({ nullable: true, type: String }) version!: string | null;
}

/** A runner as listed at `now`, with what its agent last said about itself. */
export function toRunnerView(r: RunnerRecord, presence: RunnerPresence | undefined, now: number): RunnerView {
  return {
    id: r.id,
    name: r.name,
    workspaces: r.workspaces,
    online: isOnline(presence, now),
    lastSeenAt: presence?.lastSeenAt ?? null,
    hostname: presence?.hostname ?? null,
    version: presence?.version ?? null,
  };
}

export class CreatedRunnerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) workspaces!: string[];
  @ApiProperty({ example: 'rtr_…', description: "Shown once; the runner agent's credential" }) token!: string;
}

/** What the agent learns about itself when it starts (`GET /v1/runner-session`). */
export class RunnerSessionView {
  @ApiProperty({ format: 'uuid' }) runnerId!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) workspaces!: string[];
  @ApiProperty({ description: 'The JetStream stream its commands arrive on' }) stream!: string;
  @ApiProperty({ description: 'Its own durable consumer' }) consumer!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Ed25519 public key (PEM) that signs every command (ADR 0007)' }) signingPublicKey!: string;
}
