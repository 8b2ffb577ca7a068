import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword, verifyPassword } from '../../../../apps/api/src/auth/password';
import type { LocalDay } from '../../../domain/src/calendar/local-days';
import { diffOrgUnits, OrgUnitDiff } from '../../../domain/src/org/org-diff';
import type { OrgUnit, OrgUnitKind } from '../../../domain/src/org/org.types';
import type { RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import type { AuditActor } from '../audit/audit.types';
import { appendAudit } from '../audit/audit.writer';
import { OrgUnitEntity, toOrgUnit } from '../entities/org-unit.entity';
import {
  RoutingCatalogueEntity,
  RoutingCategoryEntity,
  routingCategoryRow,
  toRoutingCategory,
} from '../entities/routing-catalogue.entity';
import { UserEntity } from '../entities/user.entity';
import { currentOrgVersion, lockOrgTree, writeOrgTree } from '../org/org.store';
import { checkCity, CityData, CityUser } from './city-rows';
import { CATALOGUE_FILE, CITY_TABLES, formatProblem, ImportProblem } from './city-tables';

/** The calendar a city's local days belong to (the one every deployment has, migration 1700000000002). */
export const CITY_CALENDAR_ID = 'cn-mainland';

/** The audit action of a city import that changed something. */
export const CITY_IMPORT_AUDIT_ACTION = 'org.city-imported';

/** How an import runs: who, why, and whether to write. */
export interface CityImportOptions {
  /** The admin (HTTP) or the operator named by `--actor` (CLI); recorded on the versions and in the audit log. */
  actor: AuditActor;
  reason: string;
  /** Plan and report only: nothing is written. */
  dryRun?: boolean;
}

/** What an import changed (or, for a dry run, would change). */
export interface CityImportReport {
  dryRun: boolean;
  /** False when the files match what is stored: nothing was (or would be) written. */
  changed: boolean;
  /** The root unit of the imported tree. */
  rootId: string;
  /** The org version current after the import (for a dry run: the version now, or the one it would create). */
  orgVersion: number | undefined;
  units: { added: string[]; changed: string[]; removed: string[] };
  /** The catalogue of catalogue.json: `added` as a new version, `unchanged` when stored alike; absent without it. */
  catalogue?: { id: string; version: string; status: 'added' | 'unchanged'; categories: number };
  users: { added: string[]; changed: string[] };
  /** Local days of the city calendar added and removed; `calendarVersion` the version after the import. */
  days: { added: LocalDay[]; removed: LocalDay[]; calendarVersion: number | undefined };
  /** Things that are allowed but worth a look, e.g. active accounts left on removed units. */
  warnings: string[];
}

/** A refused import: every problem at once; nothing was written. */
export class CityImportError extends Error {
  override readonly name = 'CityImportError';

  constructor(readonly problems: ImportProblem[]) {
    super(`the city import was refused: ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

/** The file names a city folder may hold (tables as .csv or .json, and catalogue.json). */
export const CITY_FILE_NAMES: readonly string[] = [
  ...Object.keys(CITY_TABLES).flatMap((name) => [`${name}.csv`, `${name}.json`]),
  CATALOGUE_FILE,
];

/** The `.csv` and `.json` files of a folder, by name (other files, e.g. a README, are left out). */
export async function readCityFolder(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).filter((name) => /\.(csv|json)$/.test(name)).sort();
  const files: Record<string, string> = {};
  for (const name of names) files[name] = await readFile(join(folder, name), 'utf8');
  return files;
}

/**
 * Imports a city (file name → text; formats in docs/cities.md) in one transaction: checks every file first and
 * refuses with every problem at once ({@link CityImportError}); refuses to remove a unit that an open case depends on
 * (lead, co-unit, copy, place, responsible committee, or an open task's unit) or that a stored catalogue's category
 * is led by; then writes the org tree as a new version (`writeOrgTree`), the catalogue as a new catalogue version, the
 * accounts (added or updated; accounts not in the file are left alone) and the local days (a new calendar version),
 * with one audit entry `org.city-imported`. Files that match what is stored change nothing (no version, no audit
 * entry). With `dryRun` it only reports what would change.
 */
export async function importCity(
  dataSource: DataSource,
  files: Readonly<Record<string, string>>,
  options: CityImportOptions,
): Promise<CityImportReport> {
  const { city, problems } = checkCity(files);
  if (!city) throw new CityImportError(problems);
  let report: CityImportReport | undefined;
  try {
    await dataSource.transaction(async (manager) => {
      await lockOrgTree(manager);
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:calendar:' || $1))`, [CITY_CALENDAR_ID]);
      const plan = await planImport(manager, city, options);
      report = plan.report;
      if (options.dryRun || !plan.report.changed) {
        // Nothing to write: roll back whatever the plan read under its locks.
        throw new RollBack();
      }
      await applyImport(manager, city, plan, options);
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return report as CityImportReport;
}

/** Thrown to end a read-only transaction (a dry run, or nothing to change). */
class RollBack extends Error {}

interface ImportPlan {
  report: CityImportReport;
  diff: OrgUnitDiff;
  usersToWrite: { user: CityUser; existing?: UserEntity }[];
  before: { orgVersion: number | undefined; calendarVersion: number | undefined };
}

async function planImport(manager: EntityManager, city: CityData, options: CityImportOptions): Promise<ImportPlan> {
  const current = (await manager.find(OrgUnitEntity, { order: { id: 'ASC' } })).map(toOrgUnit);
  const orgVersion = await currentOrgVersion(manager);
  const diff = diffOrgUnits(current, city.tree.units);
  const problems = await removalProblems(manager, diff.removed);
  const warnings: string[] = [];

  let catalogue: CityImportReport['catalogue'];
  if (city.catalogue) {
    const stored = await storedCatalogue(manager, city.catalogue);
    if (stored && JSON.stringify(stored) !== JSON.stringify(normaliseCatalogue(city.catalogue))) {
      problems.push({
        file: CATALOGUE_FILE,
        line: 1,
        field: 'version',
        rule: 'catalogue-version-taken',
        message: `catalogue ${city.catalogue.id} version ${city.catalogue.version} is stored with other categories (cases pin it): give the changed catalogue a new version`,
      });
    }
    const { id, version, categories } = city.catalogue;
    catalogue = { id, version, status: stored ? 'unchanged' : 'added', categories: categories.length };
  }
  if (problems.length > 0) throw new CityImportError(problems);

  const usersToWrite: ImportPlan['usersToWrite'] = [];
  const users = { added: [] as string[], changed: [] as string[] };
  for (const user of city.users ?? []) {
    const existing = await manager.findOneBy(UserEntity, { username: user.username });
    if (!existing) {
      users.added.push(user.username);
      usersToWrite.push({ user });
    } else if (!(await sameUser(existing, user))) {
      users.changed.push(user.username);
      usersToWrite.push({ user, existing });
    }
  }
  const removedIds = new Set(diff.removed.map((unit) => unit.id));
  if (removedIds.size > 0) {
    const listed = new Set((city.users ?? []).map((user) => user.username));
    const stranded = (await manager.find(UserEntity, { where: { active: true } })).filter(
      (user) => removedIds.has(user.unitId) && !listed.has(user.username),
    );
    for (const user of stranded) warnings.push(`account ${user.username} stays on the removed unit ${user.unitId}`);
  }

  const calendarVersion = await latestCalendarVersion(manager);
  const days = { added: [] as LocalDay[], removed: [] as LocalDay[] };
  if (city.days) {
    const live = await liveLocalDays(manager);
    const key = (day: LocalDay) => `${day.date}|${day.working}|${day.name}`;
    const liveKeys = new Set(live.map(key));
    const fileKeys = new Set(city.days.map(key));
    days.added = city.days.filter((day) => !liveKeys.has(key(day)));
    days.removed = live.filter((day) => !fileKeys.has(key(day)));
  }
  const daysChanged = days.added.length + days.removed.length > 0;
  const unitsChanged = diff.added.length + diff.changed.length + diff.removed.length > 0;
  const changed =
    unitsChanged || orgVersion === undefined || catalogue?.status === 'added' || usersToWrite.length > 0 || daysChanged;
  return {
    diff,
    usersToWrite,
    before: { orgVersion, calendarVersion },
    report: {
      dryRun: options.dryRun ?? false,
      changed,
      rootId: city.tree.rootId,
      orgVersion: unitsChanged || orgVersion === undefined ? (orgVersion ?? 0) + 1 : orgVersion,
      units: {
        added: diff.added.map((unit) => unit.id),
        changed: diff.changed.map(({ after }) => after.id),
        removed: diff.removed.map((unit) => unit.id),
      },
      ...(catalogue ? { catalogue } : {}),
      users,
      days: { ...days, calendarVersion: daysChanged ? (calendarVersion ?? 0) + 1 : calendarVersion },
      warnings,
    },
  };
}

async function applyImport(manager: EntityManager, city: CityData, plan: ImportPlan, options: CityImportOptions) {
  const { report } = plan;
  const change = { createdBy: options.actor.userId, reason: options.reason };
  const written = await writeOrgTree(manager, city.tree.units, change);
  report.orgVersion = written.version;

  if (city.catalogue && report.catalogue?.status === 'added') {
    const { id, version, name, categories } = city.catalogue;
    await manager.insert(RoutingCatalogueEntity, { id, version, name });
    await manager.query(`UPDATE routing_catalogues SET org_version = $3 WHERE id = $1 AND version = $2`, [
      id,
      version,
      written.version,
    ]);
    await manager.insert(
      RoutingCategoryEntity,
      categories.map((category, index) => routingCategoryRow({ id, version }, category, index)),
    );
  }

  for (const { user, existing } of plan.usersToWrite) {
    const passwordHash =
      user.passwordHash ??
      (existing && (await verifyPassword(user.password as string, existing.passwordHash))
        ? existing.passwordHash
        : await hashPassword(user.password as string));
    const fields = {
      displayName: user.displayName,
      role: user.role,
      unitId: user.unitId,
      active: user.active,
      passwordHash,
    };
    if (existing) await manager.update(UserEntity, { id: existing.id }, fields);
    else await manager.insert(UserEntity, { username: user.username, ...fields });
  }

  if (report.days.added.length + report.days.removed.length > 0) {
    const version = report.days.calendarVersion as number;
    await manager.query(`INSERT INTO calendars (calendar_id, version, created_by, reason) VALUES ($1, $2, $3, $4)`, [
      CITY_CALENDAR_ID,
      version,
      options.actor.userId,
      options.reason,
    ]);
    for (const day of report.days.removed) {
      await manager.query(
        `UPDATE calendar_days SET removed_in = $3 WHERE calendar_id = $1 AND day = $2 AND removed_in IS NULL`,
        [CITY_CALENDAR_ID, day.date, version],
      );
    }
    for (const day of report.days.added) {
      await manager.query(
        `INSERT INTO calendar_days (calendar_id, day, working, name, added_in) VALUES ($1, $2, $3, $4, $5)`,
        [CITY_CALENDAR_ID, day.date, day.working, day.name, version],
      );
    }
  }

  // Last: the audit chain's lock is held from here to commit.
  await appendAudit(manager, [
    {
      at: new Date(),
      actor: options.actor,
      action: CITY_IMPORT_AUDIT_ACTION,
      subject: { kind: 'org-tree', id: city.tree.rootId },
      before: { orgVersion: plan.before.orgVersion ?? null, calendarVersion: plan.before.calendarVersion ?? null },
      after: {
        orgVersion: report.orgVersion ?? null,
        units: report.units,
        catalogue: report.catalogue ?? null,
        users: report.users,
        calendarVersion: report.days.calendarVersion ?? null,
        days: { added: report.days.added, removed: report.days.removed },
      },
      reason: options.reason,
      source: 'api',
    },
  ]);
}

/** The table a unit of this kind is listed in, for problems about a unit the files no longer list. */
function tableOf(kind: OrgUnitKind): string {
  if (kind === 'department') return 'departments.csv';
  if (kind === 'committee') return 'committees.csv';
  if (kind === 'office') return 'offices.csv';
  return 'units.csv';
}

/**
 * Why units cannot be removed: an open case depends on them (lead, co-unit, copy, responsible unit, place, or an open
 * task of the case), or a stored catalogue's category is led by them (the catalogue stays stored: cases pin it).
 */
async function removalProblems(manager: EntityManager, removed: readonly OrgUnit[]): Promise<ImportProblem[]> {
  if (removed.length === 0) return [];
  const ids = removed.map((unit) => unit.id);
  const rows = (await manager.query(
    `SELECT u.id, array_agg(DISTINCT c.case_no ORDER BY c.case_no) AS cases
       FROM unnest($1::text[]) AS u(id)
       JOIN cases c ON c.status <> 'closed' AND (
            c.lead_unit_id = u.id OR c.responsible_unit_id = u.id OR u.id = ANY (c.co_unit_ids)
         OR u.id = ANY (c.copy_unit_ids) OR u.id IN (c.grid_id, c.community_id, c.street_id, c.district_id)
         OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_no = c.case_no AND t.status <> 'closed' AND t.unit_id = u.id))
      GROUP BY u.id ORDER BY u.id`,
    [ids],
  )) as { id: string; cases: string[] }[];
  const led = (await manager.query(
    `SELECT handler_unit_id AS id, array_agg(DISTINCT catalogue_id || '@' || catalogue_version) AS catalogues
       FROM routing_categories WHERE handler_unit_id = ANY ($1::text[]) GROUP BY handler_unit_id ORDER BY 1`,
    [ids],
  )) as { id: string; catalogues: string[] }[];
  const kinds = new Map(removed.map((unit) => [unit.id, unit.kind]));
  const problem = (id: string, rule: string, message: string): ImportProblem => ({
    file: tableOf(kinds.get(id) as OrgUnitKind),
    line: 1,
    field: 'id',
    rule,
    message,
  });
  return [
    ...rows.map((row) =>
      problem(
        row.id,
        'unit-in-use',
        `unit '${row.id}' is no longer listed but open cases depend on it: ${row.cases.join(', ')}`,
      ),
    ),
    ...led.map((row) =>
      problem(
        row.id,
        'unit-in-catalogue',
        `unit '${row.id}' is no longer listed but leads categories of the stored catalogue ${row.catalogues.join(', ')}`,
      ),
    ),
  ];
}

/** A catalogue as stored rows read back (the same normal form as {@link normaliseCatalogue}), or undefined. */
async function storedCatalogue(manager: EntityManager, catalogue: RoutingCatalogue): Promise<unknown> {
  const { id, version } = catalogue;
  const record = await manager.findOneBy(RoutingCatalogueEntity, { id, version });
  if (!record) return undefined;
  const rows = await manager.find(RoutingCategoryEntity, {
    where: { catalogueId: id, catalogueVersion: version },
    order: { position: 'ASC', id: 'ASC' },
  });
  return normaliseCatalogue({ id, version, name: record.name, categories: rows.map(toRoutingCategory) });
}

/** A catalogue as its rows hold it (a category through `routingCategoryRow` and back), keys sorted. */
function normaliseCatalogue(catalogue: RoutingCatalogue): unknown {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, field]) => field !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([key, field]) => [key, sorted(field)]),
          )
        : value;
  const { id, version, name } = catalogue;
  const categories = catalogue.categories.map((category, index) =>
    toRoutingCategory(routingCategoryRow({ id, version }, category, index)),
  );
  return sorted({ id, version, name, categories });
}

async function sameUser(existing: UserEntity, user: CityUser): Promise<boolean> {
  if (
    existing.displayName !== user.displayName ||
    existing.role !== user.role ||
    existing.unitId !== user.unitId ||
    existing.active !== user.active
  ) {
    return false;
  }
  return user.passwordHash !== undefined
    ? user.passwordHash === existing.passwordHash
    : verifyPassword(user.password as string, existing.passwordHash);
}

async function latestCalendarVersion(manager: EntityManager): Promise<number | undefined> {
  const [row] = (await manager.query(`SELECT max(version) AS latest FROM calendars WHERE calendar_id = $1`, [
    CITY_CALENDAR_ID,
  ])) as { latest: number | null }[];
  return row?.latest ?? undefined;
}

async function liveLocalDays(manager: EntityManager): Promise<LocalDay[]> {
  const rows = (await manager.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS date, working, name FROM calendar_days
      WHERE calendar_id = $1 AND removed_in IS NULL ORDER BY day`,
    [CITY_CALENDAR_ID],
  )) as LocalDay[];
  return rows;
}

/** The report as lines for a person: what was (or would be) added, changed and removed. */
export function describeImport(report: CityImportReport): string[] {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would' : 'did';
  if (!report.changed) return [`no changes: the files match what is stored (org tree version ${report.orgVersion})`];
  const list = (ids: readonly string[]) =>
    ids.length > 10 ? `${ids.slice(0, 10).join(', ')} … (${ids.length})` : ids.join(', ');
  const { units, users, days, catalogue } = report;
  lines.push(
    `${report.dryRun ? 'dry run: ' : ''}city ${report.rootId}, org tree version ${report.orgVersion}` +
      (report.dryRun ? ' (would be)' : ''),
  );
  if (units.added.length) lines.push(`units added (${units.added.length}): ${list(units.added)}`);
  if (units.changed.length) lines.push(`units changed (${units.changed.length}): ${list(units.changed)}`);
  if (units.removed.length) lines.push(`units removed (${units.removed.length}): ${list(units.removed)}`);
  if (catalogue) {
    lines.push(
      `catalogue ${catalogue.id} ${catalogue.version} (${catalogue.categories} categories): ` +
        (catalogue.status === 'added' ? `${verb} add as a new version` : 'already stored, unchanged'),
    );
  }
  if (users.added.length) lines.push(`users added: ${list(users.added)}`);
  if (users.changed.length) lines.push(`users changed: ${list(users.changed)}`);
  for (const day of days.added)
    lines.push(`local day added: ${day.date} ${day.working ? 'working' : 'day off'} ${day.name}`);
  for (const day of days.removed) lines.push(`local day removed: ${day.date} ${day.name}`);
  if (days.added.length + days.removed.length > 0)
    lines.push(`calendar ${CITY_CALENDAR_ID} version ${days.calendarVersion}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines;
}
