import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import type { CaseSubmission } from '../../../../libs/domain/src/case/case.types';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import type { DispatchOptions } from '../../../../libs/domain/src/routing/evaluate-route';
import type { RoutingCatalogue, RoutingCategory } from '../../../../libs/domain/src/routing/routing.types';
import { loadCurrentCatalogue } from '../../../../libs/persistence/src/org/org.store';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { RulesService } from '../rules/rules.service';
import { Open311Error } from './open311.errors';
import { Open311Record, w3cDatetime } from './open311.format';
import { Jurisdiction, jurisdictionsOf, pickJurisdiction } from './open311-locate';
import { serviceDefinitionOf, serviceOf } from './open311-services';
import { statusNotes, updateDescription } from './open311-texts';

/** The longest span `GET requests` and `GET servicerequestupdates` answer, and their default: 90 days. */
const SPAN_MS = 90 * 24 * 3600 * 1000;
/** The most requests one `GET requests` answers (the specification's default limit). */
const MAX_REQUESTS = 1000;
/** The most updates one `GET servicerequestupdates` answers. */
const MAX_UPDATES = 1000;

/** A jurisdiction with what its requests are decided by: the tree, and the catalogue of its published version. */
export interface JurisdictionContext {
  tree: OrgTree;
  jurisdiction: Jurisdiction;
  jurisdictions: Jurisdiction[];
  catalogue: RoutingCatalogue;
  dispatch?: DispatchOptions;
}

/** Filters of `GET requests`, as sent. */
export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

interface CaseRow {
  case_no: string;
  category: string;
  status: string;
  stage: string;
  outcome: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  lead_unit_id: string | null;
  responsible_unit_id: string | null;
  deadlines: Record<string, { due?: string } | undefined> | null;
  received_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  linked_case_no: string | null;
  media_url: string | null;
  open311: boolean;
}

/**
 * The read side of the Open311 GeoReport v2 server: jurisdictions, discovery, the service list from the routing
 * catalogue of each jurisdiction's published process definition, and cases as service requests. A case is shown
 * without its citizen's personal data: never the name, phone or description; the address and point only of a request
 * an Open311 client filed (a public report), else the names of its district, street and community.
 */
@Injectable()
export class Open311Service {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RulesService,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * The jurisdiction a request names, with its catalogue.
   * @throws Open311Error 400 for a missing `jurisdiction_id` where several are served, or no catalogue at all; 404
   *   for an unknown one.
   */
  async context(jurisdictionId: string | undefined): Promise<JurisdictionContext> {
    const tree = await this.trees.currentIfStored();
    if (!tree) throw Open311Error.badRequest('This server has no city yet: no jurisdiction is served');
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT scope_district_id AS id FROM process_versions
        WHERE archived_at IS NULL AND scope_district_id IS NOT NULL AND scope_city_id = $1`,
      [tree.rootId],
    )) as { id: string }[];
    const jurisdictions = jurisdictionsOf(
      tree,
      rows.map((row) => row.id),
    );
    const jurisdiction = pickJurisdiction(jurisdictions, jurisdictionId);
    try {
      const published = await this.rules.publishedFor({ districtId: jurisdiction.districtId });
      return {
        tree,
        jurisdiction,
        jurisdictions,
        catalogue: published.definition.routing,
        dispatch: published.definition.dispatch,
      };
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    const stored = await loadCurrentCatalogue(this.dataSource.manager, tree);
    if (!stored) throw Open311Error.badRequest(`No routing catalogue is published for ${jurisdiction.id}`);
    return { tree, jurisdiction, jurisdictions, catalogue: stored };
  }

  /** The discovery document: this server's one GeoReport v2 endpoint at `baseUrl`, and who to ask for a key. */
  async discovery(baseUrl: string): Promise<Open311Record> {
    const tree = await this.trees.currentIfStored();
    const root = tree && findUnit(tree, tree.rootId);
    const centre = tree?.units.find((unit) => unit.kind === 'service-centre' && unit.parentId === tree.rootId);
    const changeset = await this.changeset();
    const city = root?.name ?? 'the city';
    return {
      changeset,
      contact: `${city}${centre ? ` ${centre.name}` : ''}: ask its service centre about this Open311 endpoint`,
      key_service: `An api_key is an API token with the open311 scope: ${city}'s administrator issues it (POST /api/v1/auth/api-tokens with scopes ["open311"])`,
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: baseUrl,
          changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  /** When the service list or a service definition last changed: the latest publication or archiving of rules. */
  private async changeset(): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT max(GREATEST(published_at, COALESCE(archived_at, published_at))) AS at FROM process_versions`,
    )) as { at: Date | null }[];
    return w3cDatetime(row?.at ?? new Date(0)) as string;
  }

  /** `GET services`: one service per category of the jurisdiction's catalogue. */
  async services(jurisdictionId: string | undefined): Promise<Open311Record[]> {
    const { catalogue } = await this.context(jurisdictionId);
    return catalogue.categories.map(serviceOf);
  }

  /** `GET services/{service_code}`. @throws Open311Error 404 for a code the jurisdiction's catalogue lacks. */
  async serviceDefinition(jurisdictionId: string | undefined, code: string): Promise<Open311Record> {
    const context = await this.context(jurisdictionId);
    return serviceDefinitionOf(categoryOf(context, code));
  }

  /**
   * `GET requests`: the jurisdiction's cases received in the window (default and longest: 90 days; the newest 1000),
   * by service code and status; `service_request_id` (a comma-separated list) overrides the other filters.
   */
  async requests(jurisdictionId: string | undefined, query: RequestQuery): Promise<Open311Record[]> {
    const context = await this.context(jurisdictionId);
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (query.service_request_id?.trim()) {
      const ids = list(query.service_request_id);
      const bad = ids.filter((id) => !CASE_NO_PATTERN.test(id));
      if (bad.length > 0) {
        throw Open311Error.badRequest(
          `service_request_id: ${bad.join(', ')} is not a service request id (a case number)`,
        );
      }
      where.push(`c.case_no = ANY(${param(ids)})`);
    } else {
      const { start, end } = window(query.start_date, query.end_date);
      where.push(`c.received_at >= ${param(start)}`, `c.received_at <= ${param(end)}`);
      if (query.service_code?.trim()) where.push(`c.category = ANY(${param(list(query.service_code))})`);
      if (query.status?.trim()) {
        const statuses = list(query.status);
        const wrong = statuses.filter((status) => status !== 'open' && status !== 'closed');
        if (wrong.length > 0) throw Open311Error.badRequest(`status: must be open or closed, not ${wrong.join(', ')}`);
        if (!statuses.includes('open')) where.push(`c.status = 'closed'`);
        if (!statuses.includes('closed')) where.push(`c.status <> 'closed'`);
      }
    }
    const rows = await this.caseRows(context.jurisdiction, where, values, MAX_REQUESTS);
    return rows.map((row) => this.toRequest(context, row));
  }

  /** `GET requests/{id}`. @throws Open311Error 404 for no such case in the jurisdiction. */
  async request(jurisdictionId: string | undefined, id: string): Promise<Open311Record> {
    const context = await this.context(jurisdictionId);
    if (!CASE_NO_PATTERN.test(id)) throw Open311Error.notFound(`service_request_id ${id} was not found`);
    const [row] = await this.caseRows(context.jurisdiction, ['c.case_no = $1'], [id], 1);
    const pending = row ? undefined : await this.pendingRow(context.jurisdiction, id);
    if (pending) return this.toRequest(context, pending);
    if (!row) {
      throw Open311Error.notFound(`service_request_id ${id} was not found in jurisdiction ${context.jurisdiction.id}`);
    }
    return this.toRequest(context, row);
  }

  /**
   * `GET tokens/{token}`: the service request an Open311 token became: its case number once the case runs; while its
   * workflow waits to start (the engine was unreachable when it was filed), the token alone.
   * @throws Open311Error 404 for an unknown token.
   */
  async token(jurisdictionId: string | undefined, token: string): Promise<Open311Record> {
    const context = await this.context(jurisdictionId);
    const rows = UUID.test(token)
      ? ((await this.dataSource.query(
          `SELECT o.case_no, o.outcome, o.jurisdiction_id, i.status
             FROM open311_requests o LEFT JOIN intake_requests i ON i.idempotency_key = o.idempotency_key
            WHERE o.token = $1`,
          [token],
        )) as { case_no: string; outcome: string; jurisdiction_id: string; status: string | null }[])
      : [];
    const row = rows[0];
    if (!row || row.jurisdiction_id !== context.jurisdiction.id) {
      throw Open311Error.notFound(`token ${token} was not found in jurisdiction ${context.jurisdiction.id}`);
    }
    const known = row.outcome === 'linked' || row.status === 'started';
    return known ? { service_request_id: row.case_no, token } : { token };
  }

  /**
   * FixMyStreet's `GET servicerequestupdates`: the public steps of the jurisdiction's cases between `start_date` and
   * `end_date` (default and longest: the last 90 days; the oldest 1000 first), each with the status it left.
   */
  async updates(jurisdictionId: string | undefined, startDate?: string, endDate?: string): Promise<Open311Record[]> {
    const context = await this.context(jurisdictionId);
    const { start, end } = window(startDate, endDate);
    const rows = (await this.dataSource.query(
      `SELECT e.case_no, e.stream, e.seq, e.type, e.at
         FROM case_events e JOIN cases c ON c.case_no = e.case_no
        WHERE e.at >= $1 AND e.at <= $2 AND e.type = ANY($3) AND ${jurisdictionClause(context.jurisdiction, 4)}
        ORDER BY e.at, e.case_no, e.stream, e.seq
        LIMIT ${MAX_UPDATES}`,
      [start, end, PUBLIC_EVENT_TYPES, ...jurisdictionValues(context.jurisdiction)],
    )) as { case_no: string; stream: string; seq: number; type: string; at: Date }[];
    return rows.map((row) => ({
      update_id: `${row.case_no}-${row.stream}-${row.seq}`,
      service_request_id: row.case_no,
      status: row.type === 'closed' ? 'closed' : 'open',
      updated_datetime: w3cDatetime(row.at),
      description: updateDescription(row.type) ?? null,
      media_url: null,
    }));
  }

  /**
   * A case intake stored whose record its workflow has not written yet (just filed, or the engine unreachable), as
   * the submission says: received, at its place.
   */
  private async pendingRow(jurisdiction: Jurisdiction, caseNo: string): Promise<CaseRow | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT i.payload, i.received_at, o.media_url, (o.token IS NOT NULL) AS open311
         FROM intake_requests i
         LEFT JOIN open311_requests o ON o.idempotency_key = i.idempotency_key
        WHERE i.case_no = $1`,
      [caseNo],
    )) as { payload: CaseSubmission; received_at: Date; media_url: string | null; open311: boolean }[];
    const found = rows[0];
    const place = found?.payload?.place ?? {};
    const districtId = place.districtId ?? null;
    if (!found || !found.payload?.category) return undefined;
    const inside =
      jurisdiction.districtId !== undefined
        ? districtId === jurisdiction.districtId
        : districtId === null || !jurisdiction.excludedDistrictIds.includes(districtId);
    if (!inside) return undefined;
    return {
      case_no: caseNo,
      category: found.payload.category,
      status: 'registered',
      stage: 'intake',
      outcome: null,
      address: found.payload.address ?? null,
      latitude: found.payload.location?.lat ?? null,
      longitude: found.payload.location?.lng ?? null,
      community_id: place.communityId ?? null,
      street_id: place.streetId ?? null,
      district_id: districtId,
      lead_unit_id: null,
      responsible_unit_id: null,
      deadlines: null,
      received_at: found.received_at,
      updated_at: found.received_at,
      closed_at: null,
      linked_case_no: found.payload.linkedTo ?? null,
      media_url: found.media_url,
      open311: found.open311,
    };
  }

  private async caseRows(
    jurisdiction: Jurisdiction,
    where: string[],
    values: unknown[],
    limit: number,
  ): Promise<CaseRow[]> {
    const clause = jurisdictionClause(jurisdiction, values.length + 1);
    return (await this.dataSource.query(
      `SELECT c.case_no, c.category, c.status, c.stage, c.outcome, c.address, c.latitude, c.longitude,
              c.community_id, c.street_id, c.district_id, c.lead_unit_id, c.responsible_unit_id, c.deadlines,
              c.received_at, c.updated_at, c.closed_at, c.linked_case_no,
              o.media_url, (o.token IS NOT NULL) AS open311
         FROM cases c
         LEFT JOIN LATERAL (SELECT token, media_url FROM open311_requests r
                             WHERE r.case_no = c.case_no AND r.outcome <> 'linked'
                             ORDER BY r.filed_at LIMIT 1) o ON true
        WHERE ${[...where, clause].join(' AND ')}
        ORDER BY c.received_at DESC
        LIMIT ${limit}`,
      [...values, ...jurisdictionValues(jurisdiction)],
    )) as CaseRow[];
  }

  private toRequest(context: JurisdictionContext, row: CaseRow): Open311Record {
    const { tree } = context;
    const name = (id: string | null) => (id ? (findUnit(tree, id)?.name ?? id) : undefined);
    const agency = row.responsible_unit_id ?? row.lead_unit_id;
    const place = [row.district_id, row.street_id, row.community_id].map(name).filter(Boolean).join('');
    const closed = row.status === 'closed';
    return {
      service_request_id: row.case_no,
      status: closed ? 'closed' : 'open',
      status_notes: statusNotes(row.stage, row.outcome),
      service_name: context.catalogue.categories.find((category) => category.id === row.category)?.name ?? row.category,
      service_code: row.category,
      description: null,
      agency_responsible: agency ? (name(agency) ?? null) : null,
      service_notice: row.linked_case_no ? `与在办诉求 ${row.linked_case_no} 关联办理` : null,
      requested_datetime: w3cDatetime(row.received_at),
      updated_datetime: w3cDatetime(closed && row.closed_at ? row.closed_at : row.updated_at),
      expected_datetime: closed ? null : w3cDatetime(row.deadlines?.handle?.due ?? null),
      address: row.open311 ? (row.address ?? place) : place,
      address_id: row.community_id ?? row.street_id ?? row.district_id ?? null,
      zipcode: null,
      lat: row.open311 ? row.latitude : null,
      long: row.open311 ? row.longitude : null,
      media_url: row.media_url,
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case events `servicerequestupdates` publishes (each has a public sentence). */
const PUBLIC_EVENT_TYPES = [
  'emergency-diverted',
  'inadmissible',
  'answered-at-intake',
  'dispatched',
  'signed',
  'returned',
  'redispatch-decided',
  'contacted',
  'extension-requested',
  'whistled',
  'whistle-round-finished',
  'co-unit-reported',
  'escalated',
  'supervision-raised',
  'suspended',
  'resumed',
  'replied',
  'rehandling',
  'called-back',
  'callback-unreached',
  'accountability-escalated',
  'accountability-decided',
  'repeat-contact',
  'linked-to-open-case',
  'closed',
].filter((type) => updateDescription(type) !== undefined);

/** The category a service code names in the jurisdiction's catalogue. @throws Open311Error 404. */
export function categoryOf(context: Pick<JurisdictionContext, 'catalogue' | 'jurisdiction'>, code: string) {
  const category: RoutingCategory | undefined = context.catalogue.categories.find((entry) => entry.id === code);
  if (!category) {
    throw Open311Error.notFound(`service_code ${code} was not found in jurisdiction ${context.jurisdiction.id}`);
  }
  return category;
}

/** The SQL condition that a case (`c`) lies in the jurisdiction, its parameters numbered from `first`. */
function jurisdictionClause(jurisdiction: Jurisdiction, first: number): string {
  return jurisdiction.districtId !== undefined
    ? `c.district_id = $${first}`
    : `(c.district_id IS NULL OR NOT (c.district_id = ANY($${first})))`;
}

function jurisdictionValues(jurisdiction: Jurisdiction): unknown[] {
  return [jurisdiction.districtId ?? [...jurisdiction.excludedDistrictIds]];
}

/** A comma-separated parameter as its distinct non-empty items. */
function list(value: string): string[] {
  return [...new Set(value.split(',').map((item) => item.trim()))].filter(Boolean);
}

/**
 * The window of a query: `start_date` and `end_date` (W3C datetimes), by default the 90 days up to now; a window
 * longer than 90 days or ending before it starts is refused.
 * @throws Open311Error 400 naming the parameter.
 */
export function window(startDate?: string, endDate?: string, now: Date = new Date()): { start: Date; end: Date } {
  const parse = (value: string | undefined, field: string) => {
    if (value === undefined || value.trim() === '') return undefined;
    const date = W3C_DATETIME.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      throw Open311Error.badRequest(`${field}: must be a W3C datetime with a zone, e.g. 2010-01-01T00:00:00Z`);
    }
    return date;
  };
  const startGiven = parse(startDate, 'start_date');
  const endGiven = parse(endDate, 'end_date');
  const end =
    endGiven ??
    (startGiven
      ? new Date(Math.max(startGiven.getTime(), Math.min(now.getTime(), startGiven.getTime() + SPAN_MS)))
      : now);
  const start = startGiven ?? new Date(end.getTime() - SPAN_MS);
  if (end.getTime() < start.getTime()) throw Open311Error.badRequest('end_date: must not be before start_date');
  if (end.getTime() - start.getTime() > SPAN_MS) {
    throw Open311Error.badRequest('start_date, end_date: may not span more than 90 days');
  }
  return { start, end };
}

/** W3C datetime (ISO 8601 subset) with a zone: `Z` or `±hh:mm`. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
