import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ProcessDefinition } from '../../../../libs/domain/src/rules';

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

/**
 * The tables of versioned process definitions (migration 1700000000009): drafts, published versions (immutable: the
 * database refuses any change but archiving), numbered per definition id under an advisory lock.
 */
@Injectable()
export class RulesStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createDraft(draft: { name: string; basedOn: string | null; document: unknown; by: string }) {
    const rows = (await this.dataSource.query(
      `INSERT INTO process_drafts (name, based_on, document, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $4) RETURNING ${DRAFT_COLUMNS}`,
      [draft.name, draft.basedOn, JSON.stringify(draft.document), draft.by],
    )) as StoredDraft[];
    return rows[0];
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

  /** Saves a draft's document (and name); undefined when there is no open draft with that id. */
  async saveDraft(id: string, change: { document: unknown; name?: string; by: string }) {
    const rows = (await this.dataSource.query(
      `UPDATE process_drafts SET document = $2, name = COALESCE($3, name), updated_by = $4, updated_at = now()
       WHERE id = $1 AND archived_at IS NULL RETURNING ${DRAFT_COLUMNS}`,
      [id, JSON.stringify(change.document), change.name ?? null, change.by],
    )) as [StoredDraft[], number];
    return rows[0][0] as StoredDraft | undefined;
  }

  async archiveDraft(id: string, by: string): Promise<StoredDraft | undefined> {
    const rows = (await this.dataSource.query(
      `UPDATE process_drafts SET archived_at = now(), archived_by = $2 WHERE id = $1 AND archived_at IS NULL
       RETURNING ${DRAFT_COLUMNS}`,
      [id, by],
    )) as [StoredDraft[], number];
    return rows[0][0] as StoredDraft | undefined;
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
   * one id are serialised by an advisory lock, and a trigger checks the number).
   */
  async publish(publication: Publication): Promise<StoredVersion> {
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
      return toVersion(rows[0]);
    });
  }

  /** Archives a version (it no longer applies to new cases); undefined when it is unknown or already archived. */
  async archiveVersion(label: string, by: string, reason: string): Promise<StoredVersion | undefined> {
    const rows = (await this.dataSource.query(
      `UPDATE process_versions SET archived_at = now(), archived_by = $2, archive_reason = $3
       WHERE label = $1 AND archived_at IS NULL RETURNING ${VERSION_COLUMNS}`,
      [label, by, reason],
    )) as [VersionRow[], number];
    const row = rows[0][0];
    return row && toVersion(row);
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
