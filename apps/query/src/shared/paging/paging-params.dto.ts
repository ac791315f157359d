import { ApiPropertyOptional } from '@nestjs/swagger';
import { InvalidInputError } from '@runtrail/platform';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEFAULT_LIMIT, MAX_LIMIT } from './page';

/** Paging parameters every list endpoint takes. */
export class PageParamsDto {
  @ApiPropertyOptional({ description: `1 to ${MAX_LIMIT}`, default: DEFAULT_LIMIT })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: `limit must be an integer from 1 to ${MAX_LIMIT}` })
  limit?: string;

  @ApiPropertyOptional({ description: '0 or more; prefer the cursor of the Link header' })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'offset must be an integer from 0 to 999999999' })
  offset?: string;

  @ApiPropertyOptional({ description: 'Opaque; taken from a Link: rel="next" header' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** Paging plus the download of the whole matching set, for record lists. */
export class PagingParamsDto extends PageParamsDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: the whole matching set as a file' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'download must be true or false' })
  download?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: string;
}

export interface Paging {
  limit: number;
  offset: number;
  cursor?: string;
}

export type DownloadFormat = 'json' | 'csv';

export function toPaging(p: PageParamsDto & Partial<PagingParamsDto>): { paging: Paging; download?: DownloadFormat } {
  const limit = p.limit === undefined ? DEFAULT_LIMIT : Number(p.limit);
  const problems: string[] = [];
  if (limit < 1 || limit > MAX_LIMIT) problems.push(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (p.cursor !== undefined && p.offset !== undefined) problems.push('offset and cursor cannot be combined');
  if (p.format !== undefined && p.download !== 'true') problems.push('format applies only with download=true');
  if (problems.length) throw new InvalidInputError(problems);
  return {
    paging: { limit, offset: p.offset === undefined ? 0 : Number(p.offset), cursor: p.cursor },
    download: p.download === 'true' ? ((p.format ?? 'json') as DownloadFormat) : undefined,
  };
}
