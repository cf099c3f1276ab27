import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** A fault to inject into a sandbox: the next `times` matching calls answer `status`. */
export class FaultDto {
  @ApiPropertyOptional({ example: 'inventory.set', description: 'Only calls for this action' })
  @IsOptional()
  @IsString()
  action?: string;

  @ApiProperty({ example: 503 })
  @IsInt()
  @Min(100)
  @Max(599)
  status: number;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  times: number;

  @ApiPropertyOptional({ example: 1, description: 'Sent as Retry-After (seconds)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  retryAfterSeconds?: number;
}

export class LatencyDto {
  @ApiProperty({ example: 500, description: 'Milliseconds added before every answer' })
  @IsInt()
  @Min(0)
  @Max(60_000)
  ms: number;
}
