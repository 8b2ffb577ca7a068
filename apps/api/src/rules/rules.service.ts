import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_CALENDAR_ID } from '../../../../libs/persistence/src/calendar/calendar-source';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import type { RoutingCatalogue } from '../../../../libs/domain/src/routing/routing.types';
import {
  Change,
  diffDefinitions,
  formatDiff,
  DISTRICT_PRESET_IDS,
  isPresetId,
  PRESET_IDS,
  PresetId,
  presetFor,
  PROCESS_DEFINITION_SCHEMA_VERSION,
  ProcessDefinition,
  validateDefinition,
} from '../../../../libs/domain/src/rules';
import { loadCurrentCatalogue } from '../../../../libs/persistence/src/org/org.store';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import type { Principal } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CreateDraftDto, PublishDto, toDraftView, toVersionView, ValidationView, VersionView } from './rules.dto';
import { RulesStore, StoredDraft, StoredVersion, VersionScope } from './rules.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The process definition that governs a jurisdiction, with the label cases pin. */
export interface PublishedDefinition {
  label: string;
  definition: ProcessDefinition;
}

/**
 * The designer side of versioned process definitions: drafts (edited freely, never read by a case), validation with
 * every error at once, diffs, publication as immutable numbered versions scoped to a city or a district, archiving,
 * and which version governs a place ({@link publishedFor}, for intake). Every change is audited (`rules.*`) with the
 * caller as actor, in the transaction that makes it ({@link RulesStore}); a refused request writes nothing.
 */
@Injectable()
export class RulesService {
  constructor(
    private readonly store: RulesStore,
    private readonly trees: OrgTreeSource,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Validates a document against the stored org tree and the calendars the platform has. */
  async validate(document: unknown): Promise<ValidationView> {
    const tree = await this.trees.current();
    const result = validateDefinition(document, { tree, calendarIds: [DEFAULT_CALENDAR_ID] });
    return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors };
  }

  /** The presets shipped with the product, each made for the stored city (see {@link presetForCity}). */
  async presets(): Promise<
    { id: PresetId; name: string; description?: string; jurisdiction: ProcessDefinition['jurisdiction'] }[]
  > {
    const city = await this.presetCity();
    return PRESET_IDS.map((id) => {
      const { name, description, jurisdiction } = this.make(id, city);
      return { id, name, ...(description ? { description } : {}), jurisdiction };
    });
  }

  /**
   * A preset made for the stored city, as a draft from it starts. Presets are templates: the city's root, its stored
   * routing catalogue and, for a preset written for one district (pinggu, ningbo-dl, suyu, malu), the district named
   * by `districtId` — by default the city's first district — fill them in, so that a preset works for any imported
   * city. Ladders name bodies by kind or function; the draft's validation says where the city lacks one.
   * @throws NotFoundException for an unknown preset id.
   * @throws ApiError 400 when `districtId` is not a district of the city, or the city has no district for a
   *   district preset.
   */
  async presetForCity(id: string, districtId?: string): Promise<ProcessDefinition> {
    if (!isPresetId(id)) throw new NotFoundException(`No preset ${id}`);
    return this.make(id, await this.presetCity(), districtId);
  }

  private async presetCity(): Promise<{ tree: OrgTree; catalogue: RoutingCatalogue }> {
    const tree = await this.trees.current();
    const stored = await loadCurrentCatalogue(this.dataSource.manager, tree);
    return { tree, catalogue: stored ?? { id: 'none', version: '0', name: '（未导入派单目录）', categories: [] } };
  }

  private make(
    id: PresetId,
    { tree, catalogue }: { tree: OrgTree; catalogue: RoutingCatalogue },
    districtId?: string,
  ): ProcessDefinition {
    if (!DISTRICT_PRESET_IDS.includes(id)) return presetFor(id, { cityId: tree.rootId, catalogue });
    if (districtId !== undefined && findUnit(tree, districtId)?.kind !== 'district') {
      throw invalid('districtId', 'district', `districtId: ${districtId} is not a district of the city`);
    }
    const district = districtId ?? tree.units.find((unit) => unit.kind === 'district')?.id;
    if (!district) throw invalid('districtId', 'district', `preset ${id} covers one district; the city has none`);
    return presetFor(id, { cityId: tree.rootId, catalogue, districtId: district });
  }

  /**
   * Creates a draft: a copy of a published version or a preset, the given document, or an empty one (only the
   * schema version). At most one source.
   */
  async createDraft(request: CreateDraftDto, principal: Principal) {
    const sources = (['fromVersion', 'fromPreset', 'document'] as const).filter((key) => request[key] !== undefined);
    if (sources.length > 1) {
      throw invalid(sources[1], 'one-source', `give at most one of fromVersion, fromPreset and document`);
    }
    let document: unknown = { schemaVersion: PROCESS_DEFINITION_SCHEMA_VERSION };
    let basedOn: string | null = null;
    if (request.fromVersion) {
      document = (await this.version(request.fromVersion)).document;
      basedOn = request.fromVersion;
    } else if (request.fromPreset) {
      document = await this.presetForCity(request.fromPreset, request.districtId);
      basedOn = `preset:${request.fromPreset}`;
    } else if (request.document) {
      document = request.document;
    }
    const sourceName = (document as { name?: unknown }).name;
    const name = request.name ?? (typeof sourceName === 'string' && sourceName.trim() ? sourceName : 'untitled');
    const draft = await this.store.createDraft({ name, basedOn, document }, principal.actor);
    return toDraftView(draft, { document: true, validation: await this.validate(draft.document) });
  }

  /** @throws NotFoundException for an unknown draft id. */
  async draft(id: string): Promise<StoredDraft> {
    const draft = UUID.test(id) ? await this.store.draft(id) : undefined;
    if (!draft) throw new NotFoundException(`No draft ${id}`);
    return draft;
  }

  /** Drafts without their documents, newest change first. */
  async drafts(includeArchived: boolean) {
    return (await this.store.drafts(includeArchived)).map((draft) => toDraftView(draft));
  }

  /** Saves the document even when invalid (a draft is work in progress) and answers its validation. */
  async saveDraft(id: string, change: { document: unknown; name?: string }, principal: Principal) {
    const saved = UUID.test(id) ? await this.store.saveDraft(id, change, principal.actor) : undefined;
    if (!saved) {
      await this.draft(id); // 404 when there is no such draft at all
      throw new ConflictException(`Draft ${id} is archived`);
    }
    return toDraftView(saved, { document: true, validation: await this.validate(saved.document) });
  }

  async archiveDraft(id: string, principal: Principal) {
    const archived = UUID.test(id) ? await this.store.archiveDraft(id, principal.actor) : undefined;
    if (!archived) {
      await this.draft(id);
      throw new ConflictException(`Draft ${id} is already archived`);
    }
    return toDraftView(archived);
  }

  /**
   * Publishes a valid draft as the next version of its definition id, for `scope`, by the caller, for `reason`.
   * @throws ApiError ValidationFailed (400) with every error of the document (field = its JSON Pointer under
   *   `document`), or a scope outside the org tree or the definition's jurisdiction; 409 for an archived draft.
   */
  async publish(id: string, request: PublishDto, principal: Principal): Promise<VersionView> {
    const draft = await this.draft(id);
    if (draft.archivedAt) throw new ConflictException(`Draft ${id} is archived`);
    const tree = await this.trees.current();
    const result = validateDefinition(draft.document, { tree, calendarIds: [DEFAULT_CALENDAR_ID] });
    if (!result.ok) {
      throw new ApiError(
        ApiErrorCode.ValidationFailed,
        `The draft has ${result.errors.length} error(s); nothing was published`,
        result.errors.map((error) => ({ field: `document${error.path}`, rule: error.rule, message: error.message })),
      );
    }
    const scope: VersionScope = request.scope.districtId
      ? { cityId: request.scope.cityId, districtId: request.scope.districtId }
      : { cityId: request.scope.cityId };
    checkScope(tree, scope, result.definition);
    const version = await this.store.publish(
      {
        document: result.definition,
        scope,
        draftId: draft.id,
        publishedBy: principal.actor.userId,
        publishedByName: principal.username,
        reason: request.reason,
      },
      principal.actor,
    );
    return toVersionView(version, true);
  }

  /** @throws NotFoundException for an unknown label. */
  async version(label: string): Promise<StoredVersion> {
    const version = await this.store.version(label);
    if (!version) throw new NotFoundException(`No published version ${label}`);
    return version;
  }

  async versions(filter: { definitionId?: string; includeArchived?: boolean }): Promise<VersionView[]> {
    const versions = await this.store.versions({ ...filter, includeArchived: filter.includeArchived ?? true });
    return versions.map((version) => toVersionView(version));
  }

  /**
   * Archives a version: new cases no longer take it; cases pinned to it keep it. Refused (409, rule `last-of-scope`)
   * when no other published version would govern its scope (for a district scope, the district's or the city's).
   */
  async archiveVersion(label: string, reason: string, principal: Principal): Promise<VersionView> {
    const archived = await this.store.archiveVersion(label, principal.actor, reason);
    if (archived === 'last-of-scope') {
      throw new ApiError(ApiErrorCode.Conflict, `Version ${label} is the last published version of its scope`, [
        {
          field: 'label',
          rule: 'last-of-scope',
          message: `archiving ${label} would leave its scope without a published version (intake pins one on every new case): publish another for the scope first`,
        },
      ]);
    }
    if (!archived) {
      await this.version(label); // 404 when there is no such version
      throw new ConflictException(`Version ${label} is already archived`);
    }
    return toVersionView(archived);
  }

  /** The differences from `from` to `to` (each a label, `draft:<id>` or `preset:<id>`), structured and as text. */
  async diff(from: string, to: string): Promise<{ from: string; to: string; changes: Change[]; text: string }> {
    const [older, newer] = await Promise.all([this.documentOf(from, 'from'), this.documentOf(to, 'to')]);
    const changes = diffDefinitions(older as ProcessDefinition, newer as ProcessDefinition);
    return { from, to, changes, text: formatDiff(changes) };
  }

  /**
   * The version that governs a place: the newest non-archived version published for its district, else for the
   * whole city. What intake pins on a new case (`rulesVersion`, and `toLifecycleRules(definition)`).
   * @throws NotFoundException when nothing is published for the city (the demo seed publishes `beijing@1`).
   */
  async publishedFor(place: { districtId?: string }): Promise<PublishedDefinition> {
    const { rootId } = await this.trees.current();
    const version = await this.store.applicable(rootId, place.districtId);
    if (!version) throw new NotFoundException(`No process definition is published for ${rootId}`);
    return { label: version.label, definition: version.document };
  }

  /** A document by reference: a version label, `draft:<id>` or `preset:<id>`. */
  async documentOf(ref: string, field: string): Promise<unknown> {
    if (ref.startsWith('draft:')) return (await this.draft(ref.slice('draft:'.length))).document;
    if (ref.startsWith('preset:')) return this.presetForCity(ref.slice('preset:'.length));
    if (!/^[a-z0-9-]+@\d+$/.test(ref)) {
      throw invalid(field, 'reference', `${field} must be a version label (beijing@1), draft:<id> or preset:<id>`);
    }
    return (await this.version(ref)).document;
  }
}

/**
 * A version applies inside its definition's jurisdiction: the scope's city is the tree's city and the definition's;
 * a district scope names a district of it, and a definition written for one district is published only for it.
 */
function checkScope(tree: OrgTree, scope: VersionScope, definition: ProcessDefinition): void {
  if (scope.cityId !== tree.rootId || scope.cityId !== definition.jurisdiction.cityId) {
    throw invalid('scope.cityId', 'jurisdiction', `the definition governs ${definition.jurisdiction.cityId}`);
  }
  if (scope.districtId && findUnit(tree, scope.districtId)?.kind !== 'district') {
    throw invalid('scope.districtId', 'unknown-district', `${scope.districtId} is not a district of ${tree.rootId}`);
  }
  const own = definition.jurisdiction.districtId;
  if (own && scope.districtId !== own) {
    throw invalid('scope.districtId', 'jurisdiction', `the definition is written for district ${own} only`);
  }
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
