import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PROCESS_DEFINITION_SCHEMA } from '../../../../libs/domain/src/rules';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/auth.decorators';
import {
  ArchiveVersionDto,
  CreateDraftDto,
  DiffQueryDto,
  ListQueryDto,
  PublishDto,
  PresetQueryDto,
  PublishedQueryDto,
  SaveDraftDto,
  toDraftView,
  toVersionView,
  ValidateDocumentDto,
} from './rules.dto';
import { RulesService } from './rules.service';

/** Designers, auditors and admins read process definitions; designers and admins change them. */
export const RULES_READERS = ['designer', 'auditor', 'admin'] as const;
export const RULES_WRITERS = ['designer', 'admin'] as const;

/**
 * Process definitions for designers: the JSON Schema, presets, drafts (saved even when invalid), validation with
 * every error at once, diffs, publication as immutable numbered versions, archiving, and which version governs a
 * place. A draft never affects a case; only a published version does, for cases that start under it or are migrated.
 */
@ApiTags('rules')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'Not a designer or admin (writes), or not a designer, auditor or admin' })
@Controller('api/v1/rules')
@Roles(...RULES_READERS)
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get('schema')
  @ApiOperation({ summary: 'The JSON Schema (draft 2020-12) of a process definition document' })
  schema(): object {
    return PROCESS_DEFINITION_SCHEMA;
  }

  @Get('presets')
  @ApiOperation({ summary: 'The presets shipped with the product (id, name, jurisdiction)' })
  presets() {
    return this.rules.presets();
  }

  @Get('presets/:id')
  @ApiOperation({ summary: 'One preset document' })
  preset(@Param('id') id: string, @Query() query: PresetQueryDto) {
    return this.rules.presetForCity(id, query.districtId);
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a document without saving it: every error with its JSON path' })
  validate(@Body() body: ValidateDocumentDto) {
    return this.rules.validate(body.document);
  }

  @Get('drafts')
  @ApiOperation({ summary: 'Drafts, newest change first (without documents)' })
  drafts(@Query() query: ListQueryDto) {
    return this.rules.drafts(query.includeArchived ?? false);
  }

  @Post('drafts')
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Create a draft: empty, or a copy of a version (fromVersion), a preset, or a document' })
  @ApiResponse({ status: 201, description: 'The draft with its document and validation' })
  createDraft(@Body() body: CreateDraftDto, @CurrentPrincipal() principal: Principal) {
    return this.rules.createDraft(body, principal);
  }

  @Get('drafts/:id')
  @ApiOperation({ summary: 'A draft with its document and validation' })
  async draft(@Param('id') id: string) {
    const draft = await this.rules.draft(id);
    return toDraftView(draft, { document: true, validation: await this.rules.validate(draft.document) });
  }

  @Put('drafts/:id')
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Save the whole document (even invalid: work in progress); answers its validation' })
  @ApiResponse({ status: 409, description: 'The draft is archived' })
  saveDraft(@Param('id') id: string, @Body() body: SaveDraftDto, @CurrentPrincipal() principal: Principal) {
    return this.rules.saveDraft(id, body, principal);
  }

  @Post('drafts/:id/validate')
  @HttpCode(200)
  @ApiOperation({ summary: "Validate the draft's document: { ok, errors: [{ path, rule, message }] }, all at once" })
  async validateDraft(@Param('id') id: string) {
    return this.rules.validate((await this.rules.draft(id)).document);
  }

  @Delete('drafts/:id')
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Archive a draft' })
  archiveDraft(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.rules.archiveDraft(id, principal);
  }

  @Post('drafts/:id/publish')
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Publish a valid draft as the next immutable version <id>@<n>, for a city or district' })
  @ApiResponse({ status: 201, description: 'The new version, with who published it, when and why' })
  @ApiResponse({ status: 400, description: 'Every error of the document, or a scope outside its jurisdiction' })
  publish(@Param('id') id: string, @Body() body: PublishDto, @CurrentPrincipal() principal: Principal) {
    return this.rules.publish(id, body, principal);
  }

  @Get('versions')
  @ApiOperation({ summary: 'Published versions (without documents), by definition id, newest first' })
  versions(@Query() query: ListQueryDto) {
    return this.rules.versions(query);
  }

  @Get('versions/:label')
  @ApiOperation({ summary: 'A published version with its document' })
  async version(@Param('label') label: string) {
    return toVersionView(await this.rules.version(label), true);
  }

  @Post('versions/:label/archive')
  @HttpCode(200)
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Archive a version: new cases stop taking it; cases pinned to it keep it' })
  @ApiResponse({ status: 409, description: 'Already archived, or the last published version of its scope' })
  archiveVersion(
    @Param('label') label: string,
    @Body() body: ArchiveVersionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.rules.archiveVersion(label, body.reason, principal);
  }

  @Get('diff')
  @ApiOperation({ summary: 'Differences between two documents (label, draft:<id>, preset:<id>): changes and text' })
  @ApiResponse({ status: 404, description: 'No such version, draft or preset' })
  diff(@Query() query: DiffQueryDto) {
    return this.rules.diff(query.from, query.to);
  }

  @Get('published')
  @ApiOperation({ summary: "The version that governs a district (its own, else the city's): label and document" })
  async published(@Query() query: PublishedQueryDto) {
    const { label } = await this.rules.publishedFor(query);
    return toVersionView(await this.rules.version(label), true);
  }
}
