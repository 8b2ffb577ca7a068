import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

const NOT_BLANK = /\S/;

/** Query of `GET /api/v1/incidents`. */
export class ListIncidentsQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'retrying', 'resolved'], description: 'Default: every incident not resolved' })
  @IsOptional()
  @IsIn(['open', 'retrying', 'resolved'])
  status?: 'open' | 'retrying' | 'resolved';
}

/** Body of `POST /api/v1/incidents/:id/resolve`. */
export class ResolveIncidentDto {
  @ApiProperty({ example: '已人工核对并补录，无需重试', description: 'Why the failed step is dropped; audited' })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  reason: string;
}

/** One incident: a step of a case that failed for a reason retries could not fix. */
export class IncidentView {
  @ApiProperty({ example: '12' }) id: string;
  @ApiProperty({ example: '20261203000001' }) caseNo: string;
  @ApiProperty({ example: 'case-20261203000001' }) workflowId: string;
  @ApiProperty({ example: 'appendCaseEvents', description: 'The step (activity) that failed' }) step: string;
  @ApiProperty({ example: 'appendCaseEvents:case:7', description: 'Unique per case and failed step' }) key: string;
  @ApiProperty({ example: 'MirrorRejected' }) errorType: string;
  @ApiProperty() message: string;
  @ApiProperty({ enum: ['open', 'retrying', 'resolved'] }) status: string;
  @ApiProperty({ description: 'How often the step failed' }) failures: number;
  @ApiProperty() raisedAt: string;
  @ApiProperty() lastFailedAt: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) resolvedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) resolution: string | null;
}
