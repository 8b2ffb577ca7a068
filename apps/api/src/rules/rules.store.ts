import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { diffDefinitions, ProcessDefinition } from '../../../../libs/domain/src/rules';
import { appendAudit, AuditActor, AuditEntry, canonicalJson, sha256Hex } from '../../../../libs/persistence/src/audit';

/** Where a published version applies: a whole city, or one district of it. */
export interface VersionScope {
  cityId: string;
  districtId?: string;
}

/** A draft as stored: the document may be invalid (work in progress). */
export interface StoredDraft {
  id: string;
  name: string;
  basedOn: string | null;
  document: unknown;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

/** A published version as stored; the row never changes but for archiving. */
export interface StoredVersion {
  label: string;
  definitionId: string;
  version: number;
  document: ProcessDefinition;
  scope: VersionScope;
  draftId: string | null;
  publishedBy: string;
  publishedByName: string;
  publishedAt: Date;
  reason: string;
  archivedAt: Date | null;
  archivedBy: string | null;
  archiveReason: string | null;
}

/** What {@link RulesStore.publish} needs: the valid document, where it applies, who and why. */
export interface Publication {
  document: ProcessDefinition;
  scope: VersionScope;
  draftId: string | null;
  publishedBy: string;
  publishedByName: string;
  reason: string;
}

const DRAFT_COLUMNS = `id, name, based_on AS "basedOn", document, created_by AS "createdBy", updated_by AS "updatedBy",
  created_at AS "createdAt", updated_at AS "updatedAt", archived_at AS "archivedAt"`;

const VERSION_COLUMNS = `label, definition_id AS "definitionId", version, document, scope_city_id AS "cityId",
  scope_district_id AS "districtId", draft_id AS "draftId", published_by AS "publishedBy",
  published_by_name AS "publishedByName", published_at AS "publishedAt", reason, archived_at AS "archivedAt",
  archived_by AS "archivedBy", archive_reason AS "archiveReason"`;

type VersionRow = Omit<StoredVersion, 'scope'> & { cityId: string; districtId: string | null };

function toVersion({ cityId, districtId, ...row }: VersionRow): StoredVersion {
  return { ...row, scope: districtId ? { cityId, districtId } : { cityId } };
}

/** Audit actions of drafts and versions (docs/auditors.md, "Actions through the API"). */
export const RULES_AUDIT_ACTIONS = {
  draftCreated: 'rules.draft-created',
  draftSaved: 'rules.draft-saved',
  draftArchived: 'rules.draft-archived',
  versionPublished: 'rules.version-published',
  versionArchived: 'rules.version-archived',
} as const;

/** At most this many changed places of a saved draft are named in its audit entry (`changes` counts them all). */
const MAX_AUDITED_CHANGES = 50;

/** SHA-256 of a document's canonical JSON: what an audit entry records of it (the document itself is in its table). */
export function documentSha256(document: unknown): string {
  return sha256Hex(canonicalJson(document));
}

/**
 * The tables of versioned process definitions (migration 1700000000009): drafts, published versions (immutable: the
 * database refuses any change but archiving), numbered per definition id under an advisory lock. Every change is
 * written with its audit entry (`rules.*`, by the actor given) in one transaction.
 */
@Injectable()
export class RulesStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates a draft by `actor`, audited as `rules.draft-created` (name, source, the document's SHA-256). */
  async createDraft(draft: { name: string; basedOn: string | null; document: unknown }, actor: AuditActor) {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO process_drafts (name, based_on, document, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $4) RETURNING ${DRAFT_COLUMNS}`,
        [draft.name, draft.basedOn, JSON.stringify(draft.document), actor.userId],
      )) as StoredDraft[];
      const created = rows[0];
      await audit(manager, {
        at: created.createdAt,
        actor,
        action: RULES_AUDIT_ACTIONS.draftCreated,
        subject: { kind: 'process-draft', id: created.id },
        after: { name: created.name, basedOn: created.basedOn, documentSha256: documentSha256(created.document) },
      });
      return created;
    });
  }

  async draft(id: string): Promise<StoredDraft | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${DRAFT_COLUMNS} FROM process_drafts WHERE id = $1`, [
      id,
    ])) as StoredDraft[];
    return rows[0];
  }

  /** Drafts, newest change first; archived ones only when asked. */
  async drafts(includeArchived: boolean): Promise<StoredDraft[]> {
    return (await this.dataSource.query(
      `SELECT ${DRAFT_COLUMNS} FROM process_drafts WHERE $1 OR archived_at IS NULL ORDER BY updated_at DESC LIMIT 500`,
      [includeArchived],
    )) as StoredDraft[];
  }

  /**
   * Saves a draft's document (and name) by `actor`, audited as `rules.draft-saved`: name and document SHA-256 before
   * → after, and the places that changed (`changed`, the first {@link MAX_AUDITED_CHANGES} labels; `changes`, how
   * many). Undefined when there is no open draft with that id (nothing is written).
   */
  async saveDraft(id: string, change: { document: unknown; name?: string }, actor: AuditActor) {
    return this.dataSource.transaction(async (manager) => {
      const [previous] = (await manager.query(
        `SELECT ${DRAFT_COLUMNS} FROM process_drafts WHERE id = $1 AND archived_at IS NULL FOR UPDATE`,
        [id],
      )) as StoredDraft[];
      if (!previous) return undefined;
      const rows = (await manager.query(
        `UPDATE process_drafts SET document = $2, name = COALESCE($3, name), updated_by = $4, updated_at = now()
         WHERE id = $1 RETURNING ${DRAFT_COLUMNS}`,
        [id, JSON.stringify(change.document), change.name ?? null, actor.userId],
      )) as [StoredDraft[], number];
      const saved = rows[0][0];
      // A draft may be any JSON while it is worked on: the diff walks it as plain JSON.
      const changes = diffDefinitions(previous.document as ProcessDefinition, saved.document as ProcessDefinition);
      await audit(manager, {
        at: saved.updatedAt,
        actor,
        action: RULES_AUDIT_ACTIONS.draftSaved,
        subject: { kind: 'process-draft', id },
        before: { name: previous.name, documentSha256: documentSha256(previous.document) },
        after: {
          name: saved.name,
          documentSha256: documentSha256(saved.document),
          changes: changes.length,
          changed: changes.slice(0, MAX_AUDITED_CHANGES).map((entry) => entry.label || '/'),
        },
      });
      return saved;
    });
  }

  /** Archives an open draft by `actor`, audited as `rules.draft-archived`; undefined when there is none (no write). */
  async archiveDraft(id: string, actor: AuditActor): Promise<StoredDraft | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `UPDATE process_drafts SET archived_at = now(), archived_by = $2 WHERE id = $1 AND archived_at IS NULL
         RETURNING ${DRAFT_COLUMNS}`,
        [id, actor.userId],
      )) as [StoredDraft[], number];
      const archived = rows[0][0] as StoredDraft | undefined;
      if (!archived) return undefined;
      await audit(manager, {
        at: archived.archivedAt!,
        actor,
        action: RULES_AUDIT_ACTIONS.draftArchived,
        subject: { kind: 'process-draft', id },
        before: { name: archived.name, archivedAt: null },
        after: { name: archived.name, archivedAt: archived.archivedAt!.toISOString() },
      });
      return archived;
    });
  }

  async version(label: string): Promise<StoredVersion | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${VERSION_COLUMNS} FROM process_versions WHERE label = $1`, [
      label,
    ])) as VersionRow[];
    return rows[0] && toVersion(rows[0]);
  }

  /** Versions, by definition id and newest first; optionally of one definition, optionally without archived ones. */
  async versions(filter: { definitionId?: string; includeArchived: boolean }): Promise<StoredVersion[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM process_versions
       WHERE ($1::text IS NULL OR definition_id = $1) AND ($2 OR archived_at IS NULL)
       ORDER BY definition_id, version DESC`,
      [filter.definitionId ?? null, filter.includeArchived],
    )) as VersionRow[];
    return rows.map(toVersion);
  }

  /**
   * Publishes the next version of the document's definition id (1, 2, 3 … with no gaps: concurrent publications of
   * one id are serialised by an advisory lock, and a trigger checks the number), by `actor`, audited as
   * `rules.version-published` with the reason: the definition's newest version before → the new label, its scope,
   * draft and document SHA-256.
   */
  async publish(publication: Publication, actor: AuditActor): Promise<StoredVersion> {
    const id = publication.document.id;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:rules:' || $1))`, [id]);
      const [{ next }] = (await manager.query(
        `SELECT COALESCE(max(version), 0) + 1 AS next FROM process_versions WHERE definition_id = $1`,
        [id],
      )) as { next: number }[];
      const rows = (await manager.query(
        `INSERT INTO process_versions (definition_id, version, label, document, scope_city_id, scope_district_id,
           draft_id, published_by, published_by_name, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${VERSION_COLUMNS}`,
        [
          id,
          next,
          `${id}@${next}`,
          JSON.stringify(publication.document),
          publication.scope.cityId,
          publication.scope.districtId ?? null,
          publication.draftId,
          publication.publishedBy,
          publication.publishedByName,
          publication.reason,
        ],
      )) as VersionRow[];
      const version = toVersion(rows[0]);
      await audit(manager, {
        at: version.publishedAt,
        actor,
        action: RULES_AUDIT_ACTIONS.versionPublished,
        subject: { kind: 'process-version', id: version.label },
        before: { latestVersion: next > 1 ? `${id}@${next - 1}` : null },
        after: {
          latestVersion: version.label,
          definitionId: version.definitionId,
          version: version.version,
          scope: version.scope,
          draftId: version.draftId,
          documentSha256: documentSha256(version.document),
        },
        reason: version.reason,
      });
      return version;
    });
  }

  /**
   * Archives a version (it no longer applies to new cases) by `actor`, audited as `rules.version-archived` with the
   * reason; undefined when it is unknown or already archived (nothing is written).
   */
  async archiveVersion(
    label: string,
    actor: AuditActor,
    reason: string,
  ): Promise<StoredVersion | 'last-of-scope' | undefined> {
    return this.dataSource.transaction(async (manager) => {
      // Concurrent archives of one city's versions take turns, so two cannot each leave the other as the last one.
      await manager.query(
        `SELECT 1 FROM process_versions WHERE archived_at IS NULL
           AND scope_city_id = (SELECT scope_city_id FROM process_versions WHERE label = $1) FOR UPDATE`,
        [label],
      );
      const scope = (await manager.query(
        `SELECT scope_city_id AS "cityId", scope_district_id AS "districtId" FROM process_versions
         WHERE label = $1 AND archived_at IS NULL`,
        [label],
      )) as { cityId: string; districtId: string | null }[];
      // A scope is never left empty: another version for it (for a district, or the city's) must remain.
      if (scope[0]) {
        const [{ others }] = (await manager.query(
          `SELECT count(*)::int AS others FROM process_versions
           WHERE archived_at IS NULL AND label <> $1 AND scope_city_id = $2
             AND (scope_district_id IS NULL OR scope_district_id = $3)`,
          [label, scope[0].cityId, scope[0].districtId],
        )) as { others: number }[];
        if (others === 0) return 'last-of-scope';
      }
      const rows = (await manager.query(
        `UPDATE process_versions SET archived_at = now(), archived_by = $2, archive_reason = $3
         WHERE label = $1 AND archived_at IS NULL RETURNING ${VERSION_COLUMNS}`,
        [label, actor.userId, reason],
      )) as [VersionRow[], number];
      const row = rows[0][0];
      if (!row) return undefined;
      const version = toVersion(row);
      await audit(manager, {
        at: version.archivedAt!,
        actor,
        action: RULES_AUDIT_ACTIONS.versionArchived,
        subject: { kind: 'process-version', id: label },
        before: { archivedAt: null },
        after: { archivedAt: version.archivedAt!.toISOString() },
        reason,
      });
      return version;
    });
  }

  /**
   * The version that applies to a place of the city: the newest non-archived version published for its district,
   * else the newest published for the whole city.
   */
  async applicable(cityId: string, districtId: string | undefined): Promise<StoredVersion | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM process_versions
       WHERE archived_at IS NULL AND scope_city_id = $1 AND (scope_district_id IS NULL OR scope_district_id = $2)
       ORDER BY (scope_district_id IS NOT NULL) DESC, published_at DESC, version DESC
       LIMIT 1`,
      [cityId, districtId ?? null],
    )) as VersionRow[];
    return rows[0] && toVersion(rows[0]);
  }
}

/** Appends one entry of the API (`source: api`) inside the caller's transaction; last, since it takes the chain lock. */
async function audit(manager: EntityManager, entry: Omit<AuditEntry, 'source'>): Promise<void> {
  await appendAudit(manager, [{ ...entry, source: 'api' }]);
}
