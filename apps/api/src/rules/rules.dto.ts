import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import type { DefinitionError } from '../../../../libs/domain/src/rules';
import type { StoredDraft, StoredVersion, VersionScope } from './rules.store';
import { NOT_BLANK_PATTERN, queryBoolean, SLUG_PATTERN, VERSION_LABEL_PATTERN } from '../common/field-rules';

/*
 * Bodies, queries and answers of the designer API. A definition document travels as a plain object: the domain
 * validator (`validateDefinition`) checks it and reports every error with its JSON path, so these classes check only
 * the envelope.
 */

/** `POST /rules/drafts`: an empty draft, or a copy of a version, a preset, or a given document (at most one). */
export class CreateDraftDto {
  @ApiPropertyOptional({ example: '缩短街道协调时限', description: 'Default: the source’s name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: '$property must not be blank' })
  name?: string;

  @ApiPropertyOptional({ example: 'beijing@1', description: 'Copy this published version' })
  @IsOptional()
  @Matches(VERSION_LABEL_PATTERN, { message: '$property must be a version label <id>@<n>, e.g. beijing@1' })
  fromVersion?: string;

  @ApiPropertyOptional({ example: 'pinggu', description: 'Copy this preset' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a preset id, e.g. beijing' })
  fromPreset?: string;

  @ApiPropertyOptional({
    example: 'd-beijiao',
    description: 'With fromPreset, the district a district preset covers (default: the first district of the city)',
  })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id, e.g. d-beijiao' })
  districtId?: string;

  @ApiPropertyOptional({ type: Object, description: 'Start from this document (it may be invalid)' })
  @IsOptional()
  @IsObject()
  document?: Record<string, unknown>;
}

/** `PUT /rules/drafts/:id`: the whole document (saved even when invalid), optionally a new name. */
export class SaveDraftDto {
  @ApiProperty({ type: Object })
  @IsObject()
  document: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: '$property must not be blank' })
  name?: string;
}

/** `POST /rules/validate`: a document to check without saving it. */
export class ValidateDocumentDto {
  @ApiProperty({ type: Object })
  @IsObject()
  document: Record<string, unknown>;
}

/** Where a version applies: the city, or one district of it (a district's version beats the city's). */
export class ScopeDto {
  @ApiProperty({ example: 'city-demo' })
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  cityId: string;

  @ApiPropertyOptional({ example: 'd-donghu' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  districtId?: string;
}

/** `POST /rules/drafts/:id/publish`. */
export class PublishDto {
  @ApiProperty({ example: '街道协调委员会时限由5个工作日缩短为2个工作日（市政府通知）' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK_PATTERN, { message: '$property must not be blank' })
  reason: string;

  @ApiProperty({ type: ScopeDto })
  @ValidateNested()
  @Type(() => ScopeDto)
  scope: ScopeDto;
}

/** `POST /rules/versions/:label/archive`. */
export class ArchiveVersionDto {
  @ApiProperty({ example: '被新版本取代' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK_PATTERN, { message: '$property must not be blank' })
  reason: string;
}

/** `GET /rules/drafts` and `GET /rules/versions`. */
export class ListQueryDto {
  @ApiPropertyOptional({ example: 'beijing', description: 'Versions of one definition id only' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a definition id' })
  definitionId?: string;

  @ApiPropertyOptional({ description: 'Include archived drafts or versions (default: versions yes, drafts no)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

/** `GET /rules/diff?from=&to=`: each a version label, `draft:<id>` or `preset:<id>`. */
export class DiffQueryDto {
  @ApiProperty({ example: 'beijing@1' })
  @IsString()
  @Length(1, 200)
  from: string;

  @ApiProperty({ example: 'draft:6f1c…' })
  @IsString()
  @Length(1, 200)
  to: string;
}

/** `GET /rules/published?districtId=`. */
export class PublishedQueryDto {
  @ApiPropertyOptional({ example: 'd-donghu', description: 'Absent: the version for the whole city' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  districtId?: string;
}

/** `GET /rules/presets/:id`: the district a district preset covers (default: the city's first district). */
export class PresetQueryDto {
  @ApiPropertyOptional({ example: 'd-beijiao', description: "Absent: the city's first district" })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  districtId?: string;
}

/** The validation of a document: every error at once, each with its JSON Pointer, rule and message. */
export interface ValidationView {
  ok: boolean;
  errors: DefinitionError[];
}

export interface DraftView {
  id: string;
  name: string;
  basedOn: string | null;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  document?: unknown;
  validation?: ValidationView;
}

export function toDraftView(draft: StoredDraft, extra: { document?: boolean; validation?: ValidationView } = {}) {
  const { document, createdAt, updatedAt, archivedAt, ...rest } = draft;
  const view: DraftView = {
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    archivedAt: archivedAt?.toISOString() ?? null,
  };
  if (extra.document) view.document = document;
  if (extra.validation) view.validation = extra.validation;
  return view;
}

export interface VersionView {
  label: string;
  definitionId: string;
  version: number;
  name: string;
  scope: VersionScope;
  draftId: string | null;
  published: { by: string; byName: string; at: string; reason: string };
  archived: { by: string | null; at: string; reason: string | null } | null;
  document?: unknown;
}

export function toVersionView(version: StoredVersion, withDocument = false): VersionView {
  const view: VersionView = {
    label: version.label,
    definitionId: version.definitionId,
    version: version.version,
    name: version.document.name,
    scope: version.scope,
    draftId: version.draftId,
    published: {
      by: version.publishedBy,
      byName: version.publishedByName,
      at: version.publishedAt.toISOString(),
      reason: version.reason,
    },
    archived: version.archivedAt
      ? { by: version.archivedBy, at: version.archivedAt.toISOString(), reason: version.archiveReason }
      : null,
  };
  if (withDocument) view.document = version.document;
  return view;
}
