import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { EMERGENCY_CHANNELS, INADMISSIBLE_CHANNELS } from '../../../../libs/domain/src/intake/intake';
import type { EmergencyType, InadmissibleReason } from '../../../../libs/domain/src/intake/intake';
import { CASE_KINDS, CHANNELS, URGENCIES } from '../../../../libs/domain/src/case/case.types';
import type { CaseKind, CaseSubmission, Channel, Urgency } from '../../../../libs/domain/src/case/case.types';
import { ID_PATTERN, UNIT_ID_MESSAGE } from '../common/field-rules';

export class LocationDto {
  @ApiProperty({ example: 39.9087 })
  @IsNumber()
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 116.3975 })
  @IsNumber()
  @Min(-180)
  @Max(180)
  lng: number;
}

export class CitizenDto {
  @ApiPropertyOptional({ example: '王女士' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: '13800138000' })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9-]{5,19}$/, { message: '$property must be a phone number of 6-20 digits' })
  phone?: string;
}

export class PlaceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  gridId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  communityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  streetId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  districtId?: string;
}

const EMERGENCY_TYPES = Object.keys(EMERGENCY_CHANNELS) as EmergencyType[];
const INADMISSIBLE_REASONS = Object.keys(INADMISSIBLE_CHANNELS) as InadmissibleReason[];

/** What the operator decided at intake; absent for an ordinary request that is dispatched. */
export class IntakeDirectionsDto {
  @ApiPropertyOptional({ enum: EMERGENCY_TYPES, description: 'Divert to 110/119/120/122; recorded, not dispatched' })
  @IsOptional()
  @IsIn(EMERGENCY_TYPES)
  emergencyType?: EmergencyType;

  @ApiPropertyOptional({ enum: INADMISSIBLE_REASONS, description: 'Close as inadmissible; the citizen is told where' })
  @IsOptional()
  @IsIn(INADMISSIBLE_REASONS)
  inadmissibleReason?: InadmissibleReason;

  @ApiPropertyOptional({ description: "A consultation: the caller accepts the knowledge base's answer on the spot" })
  @IsOptional()
  @IsBoolean()
  callerAcceptsAnswer?: boolean;
}

/** Body of `POST /api/v1/cases`: one citizen request as an operator, a web form or a grid worker records it. */
export class CreateCaseDto {
  @ApiProperty({ enum: CASE_KINDS })
  @IsIn(CASE_KINDS)
  kind: CaseKind;

  @ApiProperty({ example: 'noise', description: 'Routing catalogue category id' })
  @Matches(ID_PATTERN, {
    message: '$property must be a category id: lowercase letters, digits and dashes',
  })
  category: string;

  @ApiPropertyOptional({ enum: URGENCIES, default: 'normal' })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiProperty({ example: '楼下餐馆深夜油烟和噪声扰民' })
  @IsString()
  @Length(1, 4000)
  description: string;

  @ApiPropertyOptional({ example: '示范市东城区景山街道三眼井胡同12号' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ type: CitizenDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CitizenDto)
  citizen?: CitizenDto;

  @ApiPropertyOptional({ type: PlaceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlaceDto)
  place?: PlaceDto;

  @ApiPropertyOptional({ type: IntakeDirectionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => IntakeDirectionsDto)
  intake?: IntakeDirectionsDto;

  @ApiPropertyOptional({
    description: 'For a repeat of an open case: true when the caller brings new facts (a linked case is opened)',
  })
  @IsOptional()
  @IsBoolean()
  hasNewFacts?: boolean;
}

/** Maps the validated body to the domain's submission (the DTO class stops here). */
export function toSubmission(dto: CreateCaseDto): CaseSubmission {
  return {
    kind: dto.kind,
    category: dto.category,
    urgency: dto.urgency ?? 'normal',
    channel: dto.channel,
    description: dto.description,
    address: dto.address,
    location: dto.location ? { lat: dto.location.lat, lng: dto.location.lng } : undefined,
    citizen: dto.citizen ? { name: dto.citizen.name, phone: dto.citizen.phone } : undefined,
    place: { ...dto.place },
    ...(dto.intake ? { intake: { ...dto.intake } } : {}),
    ...(dto.hasNewFacts !== undefined ? { hasNewFacts: dto.hasNewFacts } : {}),
  };
}

/** Masks a phone number to its first 3 and last 4 digits (138****8000). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length <= 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Masks a name to its first character (王**). */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  return `${Array.from(name)[0]}${'*'.repeat(Math.max(1, Array.from(name).length - 1))}`;
}
