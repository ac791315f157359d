import { ApiProperty } from '@nestjs/swagger';

/** The answer to a viewer token's creation: the only time the token is shown. */
export class CreatedViewerTokenView {
  @ApiProperty({ example: 'rtv_…', description: 'Shown once; only its hash is stored' }) token!: string;
  @ApiProperty({ format: 'date-time', description: 'When the token stops working (sooner when the creating key is revoked or expires)' })
  expiresAt!: string;
  @ApiProperty({ example: 'https://runtrail.example.com/embed?token=rtv_…', description: "The console's embedded timeline for this token" })
  url!: string;
  @ApiProperty({ example: 'acme' }) tenantId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The only source whose entries the token shows; null: every source' })
  sourceId!: string | null;
}
