import { ApiProperty } from '@nestjs/swagger';

/** How far retention has removed a tenant's log. */
export class RetentionRemovedDto {
  @ApiProperty({ description: 'Entries [0, upToIndex) of the log are removed; the log keeps their leaf hashes' }) upToIndex!: number;
  @ApiProperty({ format: 'date-time', description: 'The cutoff of the removal that reached upToIndex: every removed entry was received before it' }) upTo!: string;
  @ApiProperty({ format: 'date-time', description: 'When that removal ran' }) at!: string;
}

/** A tenant's retention policy, and what it has removed so far. */
export class RetentionViewDto {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ minimum: 0, maximum: 36500, description: '0 keeps everything' }) days!: number;
  @ApiProperty() legalHold!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null: never set' }) updatedAt!: string | null;
  @ApiProperty({ type: RetentionRemovedDto, nullable: true }) removed!: RetentionRemovedDto | null;
}

/** `POST /v1/retention/apply`'s answer. */
export class RetentionAppliedDto {
  @ApiProperty({ description: 'Log entries removed now' }) removed!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The cutoff applied (entries received before it went); null on legal hold or with days 0' }) upTo!: string | null;
}
