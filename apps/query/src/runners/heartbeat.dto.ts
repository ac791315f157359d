import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** A runner agent's heartbeat; the body may be left out. */
export class HeartbeatDto {
  @ApiProperty({ enum: ['online', 'offline'], required: false, default: 'online', description: 'offline: the agent stops cleanly' })
  @Matches(/^(online|offline)$/, { message: 'state must be online or offline' })
  state: 'online' | 'offline' = 'online';

  @ApiProperty({ required: false, maxLength: 256 })
  @IsOptional()
  @Matches(/^[^\p{Cc}]{1,256}$/u, { message: 'hostname must be 1 to 256 printable characters' })
  hostname?: string;

  @ApiProperty({ required: false, maxLength: 64 })
  @IsOptional()
  @Matches(/^[^\p{Cc}\s]{1,64}$/u, { message: 'version must be 1 to 64 characters without white space' })
  version?: string;
}
