import { ApiProperty } from '@nestjs/swagger';

export class ErasureView {
  @ApiProperty({ format: 'uuid', description: "The erasure's id; its timeline entry (action Erase, entity PersonalData) carries it" })
  erasureId!: string;
  @ApiProperty({ example: 3, description: 'How many field values were erased' })
  fields!: number;
  @ApiProperty({ example: 2, description: 'In how many log entries' })
  entries!: number;
}
