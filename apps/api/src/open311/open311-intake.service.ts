import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CaseSubmission } from '../../../../libs/domain/src/case/case.types';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import { evaluateRoute } from '../../../../libs/domain/src/routing/evaluate-route';
import { TokenService } from '../auth/token.service';
import { CaseService, IntakeResult } from '../cases/case.service';
import { intakeOutcomes } from '../metrics/metrics';
import { Open311Error } from './open311.errors';
import type { Open311Record } from './open311.format';
import { locateRequest, LocatedRequest } from './open311-locate';
import { ClientRateLimiter, open311RequestsPerMinute } from './open311-rate-limit';
import { Open311Directions, readAttributes } from './open311-services';
import { emergencyNotice, inadmissibleNotice } from './open311-texts';
import { categoryOf, JurisdictionContext, Open311Service } from './open311.service';

/** The fields `POST requests` takes (GeoReport v2), form-decoded; `attribute` holds `attribute[code]=value`. */
const FIELDS = [
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'attribute',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
] as const;
type Field = Exclude<(typeof FIELDS)[number], 'attribute'>;
/** A form as read: its text fields, and `attribute` as decoded. */
type Form = Partial<Record<Field, string>> & { attribute?: unknown };

/** The filed request as answered: the Open311 answer and whether a case number is known yet. */
export interface FiledRequest {
  answer: Open311Record;
}

/**
 * `POST requests`: an Open311 client files a citizen's request through the same intake as every other channel
 * (`CaseService.submit`, channel `open311`): duplicates are linked, emergencies diverted, inadmissible matters closed,
 * and the answer's `service_notice` says which. The client is its API token with the `open311` scope (its
 * `api_key`), limited to `OPEN311_REQUESTS_PER_MINUTE` attempts a minute, and recorded with the request
 * (`open311_requests`). Every check runs before anything is stored, so a refused request stores nothing.
 */
@Injectable()
export class Open311IntakeService {
  private readonly limiter = new ClientRateLimiter(open311RequestsPerMinute());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly cases: CaseService,
    private readonly reads: Open311Service,
  ) {}

  /**
   * Files one request from a form body.
   * @throws Open311Error 403 for a missing or invalid api_key; 404 for an unknown jurisdiction or service code; 400
   *   naming the field for anything else (including the rate limit, with `retryAfter`).
   */
  async file(body: unknown, now: Date = new Date()): Promise<FiledRequest> {
    const form = readForm(body);
    const client = await this.client(form.api_key);
    const limit = this.limiter.take(client.id, now.getTime());
    if (!limit.allowed) {
      throw new Open311Error(
        400,
        [
          {
            code: 429,
            description: `Too many requests from api_key ${client.name}: try again in ${limit.retryAfterSeconds} s`,
          },
        ],
        limit.retryAfterSeconds,
      );
    }
    const context = await this.reads.context(form.jurisdiction_id);
    if (!form.service_code) throw Open311Error.badRequest('service_code: required (see GET services)');
    const category = categoryOf(context, form.service_code);
    // Every problem of the fields, the attributes and the location at once.
    const problems = fieldProblems(form);
    const directions = collect(problems, () => readAttributes(category, form.attribute));
    const { lat, long, address_string, address_id } = form;
    const location = collect(problems, () =>
      locateRequest(context.tree, context.jurisdiction, { lat, long, address_string, address_id }),
    );
    if (problems.length > 0 || !location || !directions) throw Open311Error.badRequest(...problems);

    const token = randomUUID();
    const submission = this.submission(context, category.defaultUrgency, directions, location, form);
    const result = await this.cases.submit(submission, `open311:${token}`, now);
    intakeOutcomes.inc({ outcome: result.replayed ? 'replayed' : result.status });
    await this.dataSource.query(
      `INSERT INTO open311_requests (token, idempotency_key, case_no, outcome, api_token_id, jurisdiction_id,
                                     service_code, media_url, filed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        token,
        `open311:${token}`,
        result.caseNo,
        result.status,
        client.id,
        context.jurisdiction.id,
        category.id,
        form.media_url ?? null,
        now,
      ],
    );
    const notice = this.notice(context, submission, result, token);
    const answer: Open311Record =
      result.status === 'received'
        ? { token, service_notice: notice, account_id: null }
        : { service_request_id: result.caseNo, service_notice: notice, account_id: null };
    return { answer };
  }

  /** The API token behind an api_key: live and scoped `open311`. @throws Open311Error 403. */
  private async client(apiKey: string | undefined): Promise<{ id: string; name: string }> {
    if (!apiKey) throw Open311Error.forbidden('api_key: required to file a request');
    const rows = this.tokens.isApiToken(apiKey)
      ? ((await this.dataSource.query(
          `SELECT id, name FROM api_tokens
            WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND 'open311' = ANY(scopes)`,
          [this.tokens.hashApiToken(apiKey)],
        )) as { id: string; name: string }[])
      : [];
    if (!rows[0]) {
      throw Open311Error.forbidden('api_key: invalid, expired or revoked, or not an Open311 key (scope open311)');
    }
    return rows[0];
  }

  private submission(
    context: JurisdictionContext,
    defaultUrgency: CaseSubmission['urgency'],
    directions: Open311Directions,
    location: LocatedRequest,
    form: Form,
  ): CaseSubmission {
    const category = form.service_code as string;
    const name = citizenName(form.first_name, form.last_name);
    const intake = {
      ...(directions.emergencyType ? { emergencyType: directions.emergencyType } : {}),
      ...(directions.inadmissibleReason ? { inadmissibleReason: directions.inadmissibleReason } : {}),
    };
    return {
      kind: directions.kind,
      category,
      urgency: directions.urgency ?? defaultUrgency,
      channel: 'open311',
      place: location.place,
      description: form.description || context.catalogue.categories.find((entry) => entry.id === category)!.name,
      address: location.address,
      ...(location.point ? { location: location.point } : {}),
      ...(name || form.phone
        ? { citizen: { ...(name ? { name } : {}), ...(form.phone ? { phone: form.phone } : {}) } }
        : {}),
      ...(Object.keys(intake).length > 0 ? { intake } : {}),
      ...(directions.hasNewFacts !== undefined ? { hasNewFacts: directions.hasNewFacts } : {}),
    };
  }

  /** What the answer tells the citizen happened: diverted, not admitted, counted on an open case, or where it goes. */
  private notice(
    context: JurisdictionContext,
    submission: CaseSubmission,
    result: IntakeResult,
    token: string,
  ): string {
    if (submission.intake?.emergencyType) return emergencyNotice(submission.intake.emergencyType);
    if (submission.intake?.inadmissibleReason) return inadmissibleNotice(submission.intake.inadmissibleReason);
    if (result.status === 'linked' && result.duplicateOf) {
      return `同一问题已有在办诉求 ${result.duplicateOf.caseNo}，本次反映已计入该诉求（第 ${result.duplicateOf.repeatCount} 次反映），不另立案`;
    }
    const linked = result.duplicateOf ? `，与在办诉求 ${result.duplicateOf.caseNo} 关联办理` : '';
    if (result.status === 'received') {
      return `诉求已保存${linked}；案件编号稍后可由 tokens/${token} 查询`;
    }
    try {
      const decision = evaluateRoute(context.catalogue, context.tree, submission, context.dispatch);
      const lead = findUnit(context.tree, decision.leadUnitId)?.name ?? decision.leadUnitId;
      return `已立案 ${result.caseNo}${linked}，派至${lead}办理，办理时限 ${decision.deadlines.handle}`;
    } catch {
      return `已立案 ${result.caseNo}${linked}`;
    }
  }
}

/** The form's fields as strings (`attribute` as decoded); a field sent twice or as a structure is refused. */
function readForm(body: unknown): Form {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw Open311Error.badRequest('body: send the request as application/x-www-form-urlencoded fields');
  }
  const problems: string[] = [];
  const form: Form = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push(`${key}: not a field of POST requests`);
    } else if (key === 'attribute') {
      form.attribute = value;
    } else if (typeof value !== 'string') {
      problems.push(`${key}: must be sent once, as text`);
    } else {
      form[key as Field] = value.trim();
    }
  }
  if (problems.length > 0) throw Open311Error.badRequest(...problems);
  return form;
}

const PHONE = /^\+?[0-9][0-9-]{5,19}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** Problems of the plain fields (the location and attributes are checked on their own). */
function fieldProblems(form: Form): string[] {
  const problems: string[] = [];
  if (form.description !== undefined && Array.from(form.description).length > 4000) {
    problems.push('description: at most 4000 characters');
  }
  if (form.media_url) {
    let url: URL | undefined;
    try {
      url = new URL(form.media_url);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || form.media_url.length > 2000) {
      problems.push('media_url: must be an http or https URL of at most 2000 characters');
    }
  }
  if (form.phone && !PHONE.test(form.phone)) problems.push('phone: must be a phone number of 6-20 digits');
  if (form.email && !EMAIL.test(form.email)) problems.push('email: must be an email address');
  for (const key of ['first_name', 'last_name', 'device_id', 'account_id'] as const) {
    if (form[key] !== undefined && form[key]!.length > 100) problems.push(`${key}: at most 100 characters`);
  }
  if (form.address_string !== undefined && form.address_string.length > 500) {
    problems.push('address_string: at most 500 characters');
  }
  return problems;
}

/** What `run` answers, or `undefined` with its Open311 problems added to `problems`. */
function collect<T>(problems: string[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof Open311Error)) throw error;
    problems.push(...error.errors.map((item) => item.description));
    return undefined;
  }
}

/** The citizen's name as given: family name first when either part is Chinese, else `first last`. */
function citizenName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first, last].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return undefined;
  const chinese = /[\u3400-\u9fff]/.test(parts.join(''));
  return (chinese ? [last, first] : [first, last])
    .filter(Boolean)
    .join(chinese ? '' : ' ')
    .slice(0, 100);
}
