import { Client as TemporalClient } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { inputsHash } from '../../activities/scores.activities';
import { ensureMonthlyScoresSchedule } from '../../apps/api/src/scores/scores.schedule';
import type { CaseOutcome } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { Satisfaction } from '../../libs/domain/src/lifecycle/lifecycle.types';
import { computeScores, previousMonth } from '../../libs/domain/src/scores';
import type { CaseScoreFacts, HotspotCaseFacts, ScoringPolicy } from '../../libs/domain/src/scores';
import { DEMO_PRESETS } from '../../libs/persistence/src/seed/demo-presets';
import { MONTHLY_SCORES_SCHEDULE_ID } from '../../workflows/monthly-scores/messages';
import { bearer, coordinatorOf, handlerOf } from '../support/auth';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/*
 * October 2026 in the demo city, seeded directly into `cases` and `case_events`. Unless a seed says otherwise a case
 * is dispatched on 12 October at 10:00 Shanghai time, must be signed by 13 October 18:00 and contacted by 13 October
 * 10:00, is signed at 11:00 and contacted at 13:00, and the citizen, called back once, calls it solved and is
 * satisfied. The worker scores with the default policy: 30 / 35 / 35, minimum sample 10, bottom 10, the demo
 * catalogue's enforcement/mediation categories (illegal-construction, restaurant-fumes, …) out of satisfaction.
 */
const DISPATCHED = '2026-10-12T02:00:00.000Z';
const SIGN_DUE = '2026-10-13T10:00:00.000Z';
const CONTACT_DUE = '2026-10-13T02:00:00.000Z';
const SIGNED = '2026-10-12T03:00:00.000Z';
const CONTACTED = '2026-10-12T05:00:00.000Z';
const SIGNED_LATE = '2026-10-13T11:00:00.000Z';
const CONTACTED_LATE = '2026-10-13T03:00:00.000Z';

interface CaseSeed {
  label: string;
  category: string;
  kind?: string;
  /** The lead unit after the last dispatch; absent for a case closed at intake. */
  lead?: string;
  street?: string;
  district: string;
  dispatchedAt?: string;
  signDue?: string;
  contactDue?: string;
  /** `null`: never signed (contacted). */
  signedAt?: string | null;
  contactedAt?: string | null;
  /** Call-backs that reached the citizen, in order (default: one, solved and satisfied). */
  callbacks?: { solved: boolean; satisfaction: Satisfaction }[];
  unreached?: number;
  /** Default: from the last call-back (satisfied or accountability); open without call-backs. */
  outcome?: CaseOutcome | null;
  linkedTo?: string;
  repeatCount?: number;
  ratings?: { round: number; whistler: string; departmentId: string; score: number; veto?: true }[];
  /** First dispatched to `unit` at `at` (which signed it), returned, and re-dispatched to `lead` at `dispatchedAt`. */
  firstTo?: { unit: string; at: string };
  /** Closed at intake: never dispatched. */
  intake?: 'emergency-diverted' | 'answered-at-intake';
  receivedAt?: string;
}

const ok = (label: string, lead: string, street: string, district: string, category: string): CaseSeed => ({
  label,
  lead,
  street,
  district,
  category,
});
const hubin = (label: string, more: Partial<CaseSeed> = {}): CaseSeed => ({
  ...ok(label, 's-hubin', 's-hubin', 'd-donghu', 'noise-nuisance'),
  ...more,
});
const wenchang = (label: string, more: Partial<CaseSeed> = {}): CaseSeed => ({
  ...ok(label, 's-wenchang', 's-wenchang', 'd-donghu', 'property-management'),
  ...more,
});
const housing = (label: string, more: Partial<CaseSeed> = {}): CaseSeed => ({
  ...ok(label, 'dept-housing', 's-yinxing', 'd-xishan', 'elevator-retrofit'),
  ...more,
});
const urban = (label: string, more: Partial<CaseSeed> = {}): CaseSeed => ({
  ...ok(label, 'dept-urban-management', 's-yinxing', 'd-xishan', 'restaurant-fumes'),
  ...more,
});
/** An August case of a 北郊区 department in 六合乡, handled on time, solved and satisfied. */
function beijiao(label: string, lead: string, ratings: NonNullable<CaseSeed['ratings']>): CaseSeed {
  return {
    ...ok(label, lead, 't-liuhe', 'd-beijiao', 'noise-nuisance'),
    dispatchedAt: AUGUST,
    signDue: '2026-08-13T10:00:00.000Z',
    contactDue: '2026-08-13T02:00:00.000Z',
    signedAt: '2026-08-12T03:00:00.000Z',
    contactedAt: '2026-08-12T05:00:00.000Z',
    ratings,
  };
}
const AUGUST = '2026-08-12T02:00:00.000Z';
const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);
const dissatisfied = (solved: boolean) => [{ solved, satisfaction: 'dissatisfied' as const }];
const open: Partial<CaseSeed> = { callbacks: [], outcome: null };

const SEEDS: CaseSeed[] = [
  // 湖滨街道: 12 cases; H09 signed late, H10 unsolved, H11 unreachable, H12 a duplicate of H01 (reported twice more).
  ...range('H', 1, 8).map((label) =>
    hubin(label, {
      repeatCount: label === 'H01' ? 2 : 0,
      ratings:
        label === 'H05'
          ? [{ round: 1, whistler: 's-hubin', departmentId: 'dept-urban-management', score: 5 }]
          : label === 'H06'
            ? [
                { round: 1, whistler: 's-hubin', departmentId: 'dept-urban-management', score: 3 },
                { round: 2, whistler: 's-hubin', departmentId: 'dept-housing', score: 4 },
              ]
            : [],
    }),
  ),
  hubin('H09', { signedAt: SIGNED_LATE }),
  hubin('H10', { callbacks: dissatisfied(false) }),
  hubin('H11', { callbacks: [], unreached: 3, outcome: 'unreachable' }),
  hubin('H12', { linkedTo: 'H01' }),
  // 文昌街道: 12 cases; W07 contacted late, W08 never signed (still open), W09 re-handled and solved but very
  // dissatisfied, W10 an enforcement matter left unsolved, W11 basically satisfied, W12 returned by 湖滨 first.
  ...range('W', 1, 6).map((label) => wenchang(label, { repeatCount: label === 'W01' ? 3 : 0 })),
  wenchang('W07', { contactedAt: CONTACTED_LATE }),
  wenchang('W08', { signedAt: null, contactedAt: null, ...open }),
  wenchang('W09', {
    callbacks: [
      { solved: false, satisfaction: 'dissatisfied' },
      { solved: true, satisfaction: 'very-dissatisfied' },
    ],
  }),
  wenchang('W10', { category: 'illegal-construction', callbacks: dissatisfied(false) }),
  wenchang('W11', { callbacks: [{ solved: true, satisfaction: 'basically-satisfied' }] }),
  wenchang('W12', {
    firstTo: { unit: 's-hubin', at: DISPATCHED },
    dispatchedAt: '2026-10-13T02:00:00.000Z',
    signDue: '2026-10-14T10:00:00.000Z',
    contactDue: '2026-10-14T02:00:00.000Z',
    signedAt: '2026-10-13T04:00:00.000Z',
    contactedAt: '2026-10-13T06:00:00.000Z',
    ratings: [
      { round: 1, whistler: 's-wenchang', departmentId: 'dept-urban-management', score: 4 },
      { round: 1, whistler: 's-wenchang', departmentId: 'dept-housing', score: 2 },
    ],
  }),
  // 新华街道, under the minimum sample: N01 dispatched ten minutes into October (Shanghai), N02 at 22:00 on the 31st
  // with its contact deadline still running.
  {
    ...ok('N01', 's-xinhua', 's-xinhua', 'd-donghu', 'garbage-sorting'),
    dispatchedAt: '2026-09-30T16:10:00.000Z',
    signDue: '2026-10-02T10:00:00.000Z',
    contactDue: '2026-10-01T16:10:00.000Z',
    signedAt: '2026-09-30T17:00:00.000Z',
    contactedAt: '2026-09-30T18:00:00.000Z',
  },
  {
    ...ok('N02', 's-xinhua', 's-xinhua', 'd-donghu', 'garbage-sorting'),
    dispatchedAt: '2026-10-31T14:00:00.000Z',
    signDue: '2026-11-02T10:00:00.000Z',
    contactDue: '2100-01-01T00:00:00.000Z', // still running whenever this test runs
    signedAt: '2026-10-31T15:00:00.000Z',
    contactedAt: null,
    ...open,
  },
  // 市住建委: 10 cases in 西山区, D05 signed late, D10 unsolved.
  ...range('D', 1, 9).map((label) => housing(label, label === 'D05' ? { signedAt: SIGNED_LATE } : {})),
  housing('D10', { callbacks: dissatisfied(false) }),
  // 市城管执法局: 3 enforcement cases (no satisfaction rate), U03 never signed.
  urban('U01'),
  urban('U02'),
  urban('U03', { signedAt: null, contactedAt: null, ...open }),
  // Closed at intake, never dispatched.
  {
    label: 'I01',
    category: 'gas-supply',
    street: 's-hubin',
    district: 'd-donghu',
    intake: 'emergency-diverted',
    receivedAt: '2026-10-20T02:00:00.000Z',
  },
  {
    label: 'I02',
    category: 'property-management',
    kind: 'consultation',
    street: 's-wenchang',
    district: 'd-donghu',
    intake: 'answered-at-intake',
    receivedAt: '2026-10-21T02:00:00.000Z',
  },
  // September (the baseline): four noise cases, and O2, first dispatched 23:30 on 30 September, re-dispatched in
  // October (it stays a September case). November: O1, dispatched 00:30 on 1 November in Shanghai.
  ...range('S', 1, 4).map((label) => hubin(label, { dispatchedAt: '2026-09-10T02:00:00.000Z' })),
  wenchang('O2', {
    firstTo: { unit: 's-hubin', at: '2026-09-30T15:30:00.000Z' },
    dispatchedAt: '2026-10-03T02:00:00.000Z',
    signDue: '2026-10-08T10:00:00.000Z',
    contactDue: '2026-10-04T02:00:00.000Z',
    signedAt: '2026-10-03T03:00:00.000Z',
    contactedAt: '2026-10-03T04:00:00.000Z',
  }),
  hubin('O1', { dispatchedAt: '2026-10-31T16:30:00.000Z', signedAt: null, contactedAt: null, ...open }),
  // August in 北郊区 (pinggu's district once it publishes): two district departments, each with four perfect cases,
  // two of them rated 4 by 六合乡; one of 住建委's ratings carries the township's veto.
  ...range('P', 1, 4).map((label, i) =>
    beijiao(
      label,
      'dept-beijiao-urban-management',
      i < 2 ? [{ round: 1, whistler: 't-liuhe', departmentId: 'dept-beijiao-urban-management', score: 4 }] : [],
    ),
  ),
  ...range('Q', 1, 4).map((label, i) =>
    beijiao(
      label,
      'dept-beijiao-housing',
      i < 2
        ? [
            {
              round: 1,
              whistler: 't-liuhe',
              departmentId: 'dept-beijiao-housing',
              score: 4,
              ...(i === 1 ? { veto: true as const } : {}),
            },
          ]
        : [],
    ),
  ),
];

const BLOCKS: Record<string, number> = { S: 0, H: 1, W: 2, N: 3, D: 4, U: 5, I: 6, O: 7, P: 8, Q: 9 };
/** Case numbers sort in the order H, W, N, D, U, I, and by number within a letter. */
const caseNo = (label: string) => `2026101290${BLOCKS[label[0]]}${label.slice(1).padStart(3, '0')}`;
const nos = (...labels: string[]) => labels.map(caseNo).sort();

const plusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3600_000).toISOString();

interface EventRow {
  stream: string;
  type: string;
  at: string;
  actor: object | null;
  detail: object;
}

/** The rows a case's workflows would have written: the `cases` projection and its events. */
function rowsOf(seed: CaseSeed) {
  const events: EventRow[] = [];
  const add = (type: string, at: string, detail: object = {}, actor: object | null = null, stream = 'case') =>
    events.push({ stream, type, at, actor, detail });
  const handler = (unitId: string) => ({ userId: `handler.${unitId}`, role: 'handler', unitId });
  const operator = { userId: 'operator', role: 'operator', unitId: 'centre-12345' };
  const receivedAt = seed.receivedAt ?? seed.firstTo?.at ?? seed.dispatchedAt ?? DISPATCHED;
  if (seed.intake) {
    add(seed.intake, receivedAt);
    add('closed', receivedAt, { outcome: seed.intake, flagged: false });
    return { receivedAt, events, outcome: seed.intake, dispatchedAt: null, signedAt: null, contactedAt: null };
  }
  const dispatch = (unit: string, at: string, signDue: string, contactDue: string) => {
    add('dispatched', at, { leadUnitId: unit, coUnitIds: [], copyUnitIds: [] });
    add('deadline-set', at, { kind: 'sign', due: signDue });
    add('deadline-set', at, { kind: 'contact', due: contactDue });
    add('deadline-set', at, { kind: 'handle', due: plusHours(at, 7 * 24) });
  };
  if (seed.firstTo) {
    const { unit, at } = seed.firstTo;
    dispatch(unit, at, plusHours(at, 32), plusHours(at, 24));
    add('signed', plusHours(at, 0.5), {}, handler(unit));
    add('returned', plusHours(at, 1), { reason: '不属于本辖区', unitId: unit }, handler(unit));
    add('redispatch-decided', plusHours(at, 2), { reason: '改派', arbitrated: false }, operator);
  }
  const lead = seed.lead as string;
  const dispatchedAt = seed.dispatchedAt ?? DISPATCHED;
  dispatch(lead, dispatchedAt, seed.signDue ?? SIGN_DUE, seed.contactDue ?? CONTACT_DUE);
  const signedAt = seed.signedAt === undefined ? SIGNED : seed.signedAt;
  const contactedAt = seed.contactedAt === undefined ? CONTACTED : seed.contactedAt;
  if (signedAt) add('signed', signedAt, {}, handler(lead));
  else add('overdue', seed.signDue ?? SIGN_DUE, { kind: 'sign', unitId: lead });
  if (contactedAt) add('contacted', contactedAt, { note: '已联系' }, handler(lead));
  for (const rating of seed.ratings ?? []) {
    const stream = `whistle-${rating.round}`;
    if (!events.some((event) => event.stream === stream)) {
      add('whistled', plusHours(dispatchedAt, 5), { round: rating.round, departmentIds: [] }, handler(rating.whistler));
      add('whistled', plusHours(dispatchedAt, 5), {}, handler(rating.whistler), stream);
    }
    add('rated', plusHours(dispatchedAt, 48), rating, handler(rating.whistler), stream);
  }
  const callbacks = seed.callbacks ?? [{ solved: true, satisfaction: 'satisfied' as Satisfaction }];
  let at = plusHours(dispatchedAt, 72);
  if (callbacks.length || seed.unreached) add('replied', at, { result: 'solved' }, handler(lead));
  callbacks.forEach((callback, i) => {
    at = plusHours(at, 24);
    if (i > 0) add('replied', plusHours(at, -12), { result: 'solved' }, handler(lead));
    add('called-back', at, callback, operator);
    if (i < callbacks.length - 1) add('rehandling', at, { round: i + 1, unitId: lead });
  });
  for (let attempt = 1; attempt <= (seed.unreached ?? 0); attempt += 1) {
    at = plusHours(at, 8);
    add('callback-unreached', at, { attempt }, operator);
  }
  const last = callbacks[callbacks.length - 1];
  const outcome =
    seed.outcome !== undefined
      ? seed.outcome
      : last
        ? last.solved && ['very-satisfied', 'satisfied', 'basically-satisfied'].includes(last.satisfaction)
          ? 'satisfied'
          : 'accountability'
        : null;
  if (outcome) add('closed', at, { outcome, flagged: outcome === 'accountability' });
  return { receivedAt, events, outcome, dispatchedAt, signedAt, contactedAt, closedAt: outcome ? at : null };
}

async function seedCases(pg: PgClient): Promise<void> {
  await pg.query('BEGIN');
  for (const seed of SEEDS) {
    const rows = rowsOf(seed);
    const no = caseNo(seed.label);
    await pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
         rules_version, received_at, phase, lead_unit_id, street_id, district_id, outcome, dispatched_at, signed_at,
         contacted_at, closed_at, repeat_count, linked_case_no)
       VALUES ($1, $2, $3, $4, 'normal', 'hotline', $5, $6, '（测试数据）', 'beijing@1', $7, $6, $8, $9, $10, $11, $12,
         $13, $14, $15, $16, $17)`,
      [
        no,
        `case-${no}`,
        seed.kind ?? 'complaint',
        seed.category,
        rows.outcome ? 'closed' : 'open',
        rows.outcome ? 'closed' : 'handling',
        rows.receivedAt,
        seed.lead ?? null,
        seed.street ?? null,
        seed.district,
        rows.outcome,
        rows.dispatchedAt,
        rows.signedAt ?? null,
        rows.contactedAt ?? null,
        'closedAt' in rows ? rows.closedAt : rows.receivedAt,
        seed.repeatCount ?? 0,
        seed.linkedTo ? caseNo(seed.linkedTo) : null,
      ],
    );
    const seqs = new Map<string, number>();
    for (const event of rows.events) {
      const seq = (seqs.get(event.stream) ?? 0) + 1;
      seqs.set(event.stream, seq);
      await pg.query(
        `INSERT INTO case_events (case_no, stream, seq, type, at, actor, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [no, event.stream, seq, event.type, event.at, event.actor, event.detail],
      );
    }
  }
  await pg.query('COMMIT');
}

interface UnitView {
  unitId: string;
  unitName: string | null;
  unitKind: string;
  counts: Record<string, unknown>;
  rates: Record<string, { numerator: number; denominator: number; value: number | null }>;
  score: number | null;
  eligible: boolean;
  rank: number | null;
  bottom: boolean;
}

/**
 * The monthly 三率 scores through the API on the dev server: a month of cases seeded into a database of this file's
 * own, an on-demand run (workflow + the worker's score activities), every figure against hand-computed expectations,
 * the explanation of a unit, re-derivation from the stored inputs, supersession, and the monthly schedule.
 */
describe('monthly scores', () => {
  const serverUrl = requiredTestEnv(TEST_ENV.databaseUrl);
  let stack: TestStack;
  let taskQueue: string;
  let pg: PgClient;
  let temporal: TemporalClient;
  let tokens: Record<string, string>;
  let firstRunId: string;

  beforeAll(async () => {
    expect(serverUrl).toBeTruthy();
    stack = await startTestStack({
      label: 'it-scores',
      scratch: true,
      seed: true,
      prepare: seedCases,
      api: { notifications: { pollIntervalMs: 0 } },
      users: {
        auditor: 'auditor',
        admin: 'admin',
        designer: 'designer',
        operator: 'operator',
        hubin: handlerOf('s-hubin'),
        hubinCommittee: coordinatorOf('cc-s-hubin'),
        housing: handlerOf('dept-housing'),
      },
    });
    ({ taskQueue, pg, tokens } = stack);
    temporal = stack.app.get(TemporalClient);
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const get = (path: string, who = 'auditor') => http().get(path).set(bearer(tokens[who]));
  const post = (path: string, body: object, who = 'auditor') => http().post(path).set(bearer(tokens[who])).send(body);

  it('should refuse a bad month naming the field, and other roles', async () => {
    const bad = await post('/api/v1/scores/runs', { month: '2026-13' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'month', rule: 'isMonth' })]);
    const future = await post('/api/v1/scores/runs', { month: '2999-01' }).expect(400);
    expect(future.body.details).toEqual([expect.objectContaining({ field: 'month', rule: 'notInFuture' })]);
    const missing = await post('/api/v1/scores/runs', {}).expect(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('month');
    const path = await get('/api/v1/scores/2026-1').expect(400);
    expect(path.body.details).toEqual([expect.objectContaining({ field: 'month', rule: 'isMonth' })]);
    const query = await get('/api/v1/scores/runs?month=Oct').expect(400);
    expect(query.body.details).toEqual([expect.objectContaining({ field: 'month', rule: 'isMonth' })]);
    await post('/api/v1/scores/runs', { month: '2026-10' }, 'designer').expect(403);
    await get('/api/v1/scores/2026-10', 'hubin').expect(403); // a unit reads only its own figures
    await get('/api/v1/scores/2026-10', 'operator').expect(404); // the centre reads all: no run yet
  });

  it('should compute October on demand and store the run with its inputs', async () => {
    const created = await post('/api/v1/scores/runs', { month: '2026-10' }).expect(201);
    expect(created.body).toMatchObject({
      month: '2026-10',
      trigger: 'on-demand',
      status: 'completed',
      requestedBy: expect.any(String),
      published: true,
      superseded: false,
      // The city's definition: the seed's beijing@1 (no district has one of its own yet).
      definitions: [{ scope: 'city', definition: 'beijing@1' }],
      inputs: {
        cases: 41, // 28 in 东湖区 (2 closed at intake), 13 in 西山区; not O1 (November) nor O2 (September)
        baselineCases: 5,
        window: { from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' },
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    firstRunId = created.body.id;
  });

  it.each<
    [string, string, number, number, number, number, number, number, number, number | null, boolean, number | null]
  >([
    // 30×10/11 + 35×9/10 + 35×9/10 = 27.27 + 31.5 + 31.5
    ['s-hubin', 'street', 12, 11, 10, 10, 9, 10, 9, 90.27, true, 1],
    // 30×10/12 + 35×10/11 + 35×9/10 = 25 + 31.82 + 31.5
    ['s-wenchang', 'street', 12, 12, 10, 11, 10, 10, 9, 88.32, true, 2],
    // 1 rated case < 10: not ranked
    ['s-xinhua', 'street', 2, 1, 1, 1, 1, 1, 1, 100, false, null],
    // 30×9/10 + 35×9/10 + 35×9/10
    ['dept-housing', 'department', 10, 10, 9, 10, 9, 10, 9, 90, true, 1],
    // enforcement only: no satisfaction rate, (30×2/3 + 35×2/2) / 65 × 100
    ['dept-urban-management', 'department', 3, 3, 2, 2, 2, 0, 0, 84.62, false, null],
    // 30×21/24 + 35×20/22 + 35×19/21 = 26.25 + 31.82 + 31.67
    ['d-donghu', 'district', 28, 24, 21, 22, 20, 21, 19, 89.73, true, 1],
    // 30×11/13 + 35×11/12 + 35×9/10 = 25.38 + 32.08 + 31.5
    ['d-xishan', 'district', 13, 13, 11, 12, 11, 10, 9, 88.97, true, 2],
  ])(
    'should publish %s (%s): %i cases, %i dispatched / %i on time, %i rated / %i solved, %i / %i satisfied',
    async (unitId, unitKind, cases, dispatched, onTime, rated, solved, satRated, satisfied, score, eligible, rank) => {
      const { body } = await get('/api/v1/scores/2026-10', 'designer').expect(200);
      const unit = (body.units as UnitView[]).find((candidate) => candidate.unitId === unitId) as UnitView;
      expect(unit).toMatchObject({ unitKind, score, eligible, rank, bottom: eligible, unitName: expect.any(String) });
      expect(unit.counts).toMatchObject({
        cases,
        dispatched,
        respondedOnTime: onTime,
        rated,
        solved,
        satisfactionRated: satRated,
        satisfied,
      });
      expect(unit.rates.response).toEqual({ numerator: onTime, denominator: dispatched, value: onTime / dispatched });
      expect(unit.rates.resolution).toEqual({ numerator: solved, denominator: rated, value: solved / rated });
      expect(unit.rates.satisfaction).toEqual({
        numerator: satisfied,
        denominator: satRated,
        value: satRated ? satisfied / satRated : null,
      });
    },
  );

  it('should publish rankings, the bottom lists, the double assessment, hotspots and candidates', async () => {
    const { body } = await get('/api/v1/scores/2026-10').expect(200);
    expect(body.run).toMatchObject({ id: firstRunId, month: '2026-10', status: 'completed' });
    const policy = body.run.policy as ScoringPolicy;
    expect(policy).toMatchObject({ weights: { response: 30, resolution: 35, satisfaction: 35 }, minSample: 10 });
    expect(policy.satisfactionExcludedCategories).toEqual(
      expect.arrayContaining(['illegal-construction', 'restaurant-fumes']),
    );
    expect((body.units as UnitView[]).map((unit) => unit.unitId)).toEqual([
      's-hubin',
      's-wenchang',
      's-xinhua',
      'dept-housing',
      'dept-urban-management',
      'd-donghu',
      'd-xishan',
    ]);
    expect(body.rankings).toEqual({
      street: [
        { rank: 1, unitId: 's-hubin', unitName: '湖滨街道', score: 90.27, scope: 'city' },
        { rank: 2, unitId: 's-wenchang', unitName: '文昌街道', score: 88.32, scope: 'city' },
      ],
      department: [{ rank: 1, unitId: 'dept-housing', unitName: '市住房和城乡建设委员会', score: 90, scope: 'city' }],
      district: [
        { rank: 1, unitId: 'd-donghu', unitName: '东湖区', score: 89.73, scope: 'city' },
        { rank: 2, unitId: 'd-xishan', unitName: '西山区', score: 88.97, scope: 'city' },
      ],
    });
    // Fewer than 10 eligible units of a kind: every one of them is in the bottom 10, worst first.
    expect(body.bottom).toEqual({
      street: ['s-wenchang', 's-hubin'],
      department: ['dept-housing'],
      district: ['d-xishan', 'd-donghu'],
    });
    const rating = (label: string, round: number, whistlerUnitId: string, departmentId: string, score: number) => ({
      caseNo: caseNo(label),
      round,
      whistlerUnitId,
      departmentId,
      score,
      at: expect.any(String),
    });
    expect(body.doubleAssessment).toEqual([
      {
        departmentId: 'dept-urban-management',
        count: 3,
        average: 4, // (5 + 3 + 4) / 3
        byWhistler: [
          { whistlerUnitId: 's-hubin', count: 2, average: 4 },
          { whistlerUnitId: 's-wenchang', count: 1, average: 4 },
        ],
        ratings: [
          rating('H05', 1, 's-hubin', 'dept-urban-management', 5),
          rating('H06', 1, 's-hubin', 'dept-urban-management', 3),
          rating('W12', 1, 's-wenchang', 'dept-urban-management', 4),
        ],
        vetoes: 0,
      },
      {
        departmentId: 'dept-housing',
        count: 2,
        average: 3, // (4 + 2) / 2
        byWhistler: [
          { whistlerUnitId: 's-hubin', count: 1, average: 4 },
          { whistlerUnitId: 's-wenchang', count: 1, average: 2 },
        ],
        ratings: [rating('H06', 2, 's-hubin', 'dept-housing', 4), rating('W12', 1, 's-wenchang', 'dept-housing', 2)],
        vetoes: 0,
      },
    ]);
    const hotspot = (month: string, category: string, streetId: string, cases: number, repeats: number, dups = 0) => [
      month,
      category,
      streetId,
      cases,
      repeats,
      dups,
    ];
    expect(
      body.hotspots.map((h: Record<string, unknown>) => [
        h.month,
        h.category,
        h.streetId,
        h.cases,
        h.repeatContacts,
        h.duplicates,
      ]),
    ).toEqual([
      hotspot('2026-10', 'property-management', 's-wenchang', 12, 3), // W01–W09, W11, W12 and I02
      hotspot('2026-10', 'noise-nuisance', 's-hubin', 12, 2, 1),
      hotspot('2026-10', 'elevator-retrofit', 's-yinxing', 10, 0),
      hotspot('2026-10', 'restaurant-fumes', 's-yinxing', 3, 0),
      hotspot('2026-10', 'garbage-sorting', 's-xinhua', 2, 0),
      hotspot('2026-10', 'gas-supply', 's-hubin', 1, 0),
      hotspot('2026-10', 'illegal-construction', 's-wenchang', 1, 0),
      hotspot('2026-09', 'noise-nuisance', 's-hubin', 4, 0),
      hotspot('2026-09', 'property-management', 's-wenchang', 1, 0),
    ]);
    expect(body.hotspots[1].caseNos).toEqual(nos(...range('H', 1, 12)));
    expect(
      body.candidates.map((c: Record<string, unknown>) => [c.category, c.cases, c.previousCases, c.repeatContacts]),
    ).toEqual([
      ['property-management', 12, 1, 3],
      ['noise-nuisance', 12, 4, 2],
      ['elevator-retrofit', 10, 0, 0],
    ]);
  });

  it('should explain a unit: the formulas, the cases behind each figure and their facts', async () => {
    const { body } = await get('/api/v1/scores/2026-10/units/s-wenchang/explain').expect(200);
    expect(body.formulas).toEqual({
      response: 'respondedOnTime / dispatched = 10 / 12 = 0.8333',
      resolution: 'solved / rated = 10 / 11 = 0.9091',
      satisfaction: 'satisfied / satisfactionRated = 9 / 10 = 0.9',
      score: 'score = 100 × (25 + 31.8182 + 31.5) / (30 + 35 + 35) = 88.32',
    });
    expect(body.explanation).toMatchObject({
      cases: nos(...range('W', 1, 12)),
      respondedLate: nos('W07', 'W08'),
      rated: nos(...range('W', 1, 7), 'W09', 'W10', 'W11', 'W12'),
      solved: nos(...range('W', 1, 7), 'W09', 'W11', 'W12'),
      satisfied: nos(...range('W', 1, 7), 'W11', 'W12'),
      excluded: { 'awaiting-callback': nos('W08'), 'enforcement-or-mediation': nos('W10') },
      eligibility: '11 rated case(s) ≥ minimum sample 10',
      ranking: { eligibleUnits: 2, higherScores: 1, lowerScores: 0 },
    });
    expect(body.cases).toHaveLength(12);
    // W12 was returned by 湖滨 and re-dispatched: its response is 文昌's, against the re-dispatch's deadlines.
    const w12 = (body.cases as CaseScoreFacts[]).find((c) => c.caseNo === caseNo('W12')) as CaseScoreFacts;
    expect(w12).toMatchObject({
      firstDispatchedAt: DISPATCHED,
      leadUnitId: 's-wenchang',
      leadUnitKind: 'street',
      response: {
        dispatchedAt: '2026-10-13T02:00:00.000Z',
        signDue: '2026-10-14T10:00:00.000Z',
        signedAt: '2026-10-13T04:00:00.000Z',
        contactedAt: '2026-10-13T06:00:00.000Z',
      },
    });
    const w09 = (body.cases as CaseScoreFacts[]).find((c) => c.caseNo === caseNo('W09')) as CaseScoreFacts;
    expect(w09.callback).toMatchObject({ solved: true, satisfaction: 'very-dissatisfied' }); // the final call-back

    const district = await get('/api/v1/scores/2026-10/units/d-donghu/explain').expect(200);
    expect(district.body.explanation.excluded).toEqual({
      unreachable: nos('H11'),
      duplicate: nos('H12'),
      'awaiting-callback': nos('W08', 'N02'),
      'enforcement-or-mediation': nos('W10'),
      'response-pending': nos('N02'),
      'emergency-diverted': nos('I01'),
      'answered-at-intake': nos('I02'),
    });
    const department = await get('/api/v1/scores/2026-10/units/dept-urban-management/explain').expect(200);
    expect(department.body.formulas.satisfaction).toBe('satisfied / satisfactionRated = 0 / 0 = n/a (no cases)');
    expect(department.body.doubleAssessment).toMatchObject({ departmentId: 'dept-urban-management', average: 4 });
    await get('/api/v1/scores/2026-10/units/s-nowhere/explain').expect(404);
    const badUnit = await get('/api/v1/scores/2026-10/units/S_HUBIN/explain').expect(400);
    expect(badUnit.body.details).toEqual([expect.objectContaining({ field: 'unitId' })]);
  });

  it("should let a street's handlers and its committee's coordinators read its own figures, rank and cases only", async () => {
    // 湖滨's handler: its figures and rank, and the cases behind each figure.
    const own = await get('/api/v1/scores/2026-10/units/s-hubin/explain', 'hubin').expect(200);
    expect(own.body).toMatchObject({ unitId: 's-hubin', score: 90.27, rank: 1, scope: 'city' });
    expect(own.body.run).toMatchObject({ definition: 'beijing@1' });
    const response = await get('/api/v1/scores/2026-10/units/s-hubin/cases?figure=response', 'hubin').expect(200);
    expect(response.body).toMatchObject({
      unitId: 's-hubin',
      figure: 'response',
      formula: 'respondedOnTime / dispatched = 10 / 11 = 0.9091',
      counted: nos(...range('H', 1, 11)),
      met: nos(...range('H', 1, 8), 'H10', 'H11'),
      missed: nos('H09'),
      excluded: { duplicate: nos('H12') },
    });
    expect(response.body.cases.map((c: CaseScoreFacts) => c.caseNo)).toEqual(nos(...range('H', 1, 12)));
    const resolution = await get('/api/v1/scores/2026-10/units/s-hubin/cases?figure=resolution', 'hubin').expect(200);
    expect(resolution.body).toMatchObject({
      counted: nos(...range('H', 1, 10)),
      missed: nos('H10'),
      excluded: { unreachable: nos('H11'), duplicate: nos('H12') },
    });
    // Its committee's coordinator reads it too (the unit's leaders: the identity model has no leader role).
    await get('/api/v1/scores/2026-10/units/s-hubin/cases?figure=satisfaction', 'hubinCommittee').expect(200);
    // Another unit's figures are answered as unknown: 404, the same as a unit without figures.
    for (const [who, path] of [
      ['hubin', '/api/v1/scores/2026-10/units/s-wenchang/explain'],
      ['hubin', '/api/v1/scores/2026-10/units/s-wenchang/cases?figure=response'],
      ['hubin', '/api/v1/scores/2026-10/units/d-donghu/explain'],
      ['hubinCommittee', '/api/v1/scores/2026-10/units/s-wenchang/explain'],
      ['housing', '/api/v1/scores/2026-10/units/s-hubin/cases?figure=resolution'],
    ]) {
      await get(path, who).expect(404);
    }
    // A department's handler reads its own, with its double assessment.
    const housing = await get('/api/v1/scores/2026-10/units/dept-housing/cases?figure=assessment', 'housing').expect(
      200,
    );
    expect(housing.body).toMatchObject({
      counted: nos('H06', 'W12'),
      missed: [],
      formula: 'assessment = (3 − 1) / 4 = 0.5, weight 0',
    });
    // The centre reads every unit; a bad figure is a 400 naming the field.
    await get('/api/v1/scores/2026-10/units/s-wenchang/cases?figure=response', 'operator').expect(200);
    const bad = await get('/api/v1/scores/2026-10/units/s-hubin/cases?figure=speed', 'hubin').expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'figure' })]);
  });

  it('should re-derive every stored figure from the stored inputs, and keep them unchangeable', async () => {
    const [run] = (
      await pg.query(`SELECT policy, inputs, computed_at, scopes FROM score_runs WHERE id = $1`, [firstRunId])
    ).rows;
    const facts = (await pg.query(`SELECT part, facts FROM score_run_facts WHERE run_id = $1 ORDER BY case_no`, [
      firstRunId,
    ])) as { rows: { part: string; facts: CaseScoreFacts }[] };
    const cases = facts.rows.filter((row) => row.part === 'month').map((row) => row.facts);
    const baseline = facts.rows.filter((row) => row.part === 'baseline').map((row) => row.facts as HotspotCaseFacts);
    expect(inputsHash('2026-10', cases, baseline)).toBe(run.inputs.sha256);
    const again = computeScores({
      month: '2026-10',
      asOf: run.computed_at.toISOString(),
      cases,
      baseline,
      policy: run.policy,
      definition: run.scopes[0].definition,
      districtScopes: run.scopes.slice(1),
    });
    const stored = (
      await pg.query(
        `SELECT unit_id, unit_kind, counts, rates, score, eligible, rank, bottom, explanation FROM unit_scores
          WHERE run_id = $1 ORDER BY unit_id`,
        [firstRunId],
      )
    ).rows;
    expect(stored).toEqual(
      [...again.units]
        .sort((a, b) => (a.unitId < b.unitId ? -1 : 1))
        .map((unit) => ({
          unit_id: unit.unitId,
          unit_kind: unit.unitKind,
          counts: unit.counts,
          rates: unit.rates,
          score: unit.score,
          eligible: unit.eligible,
          rank: unit.rank,
          bottom: unit.bottom,
          explanation: unit.explanation,
        })),
    );
    const { body } = await get('/api/v1/scores/2026-10').expect(200);
    expect(body.hotspots).toEqual(again.hotspots);
    expect(body.candidates).toEqual(again.candidates);
    expect(body.doubleAssessment).toEqual(again.doubleAssessment);

    await expect(pg.query(`UPDATE unit_scores SET score = 100 WHERE run_id = $1`, [firstRunId])).rejects.toThrow(
      /keeps every figure/,
    );
    await expect(pg.query(`DELETE FROM score_runs WHERE id = $1`, [firstRunId])).rejects.toThrow(/keeps every run/);
    await expect(pg.query(`UPDATE score_runs SET status = 'failed' WHERE id = $1`, [firstRunId])).rejects.toThrow(
      /never changes again/,
    );
  });

  it('should let a later run supersede an earlier one of the same month, keeping both', async () => {
    const second = await post('/api/v1/scores/runs', { month: '2026-10' }, 'admin').expect(201);
    expect(second.body).toMatchObject({ status: 'completed', published: true });
    const runs = await get('/api/v1/scores/runs?month=2026-10', 'designer').expect(200);
    expect(runs.body.map((run: { id: string; published: boolean; superseded: boolean }) => run)).toEqual([
      expect.objectContaining({ id: second.body.id, published: true, superseded: false }),
      expect.objectContaining({ id: firstRunId, published: false, superseded: true }),
    ]);
    expect((await get('/api/v1/scores/2026-10').expect(200)).body.run.id).toBe(second.body.id);
    const earlier = await get(`/api/v1/scores/2026-10?runId=${firstRunId}`).expect(200);
    expect(earlier.body.run).toMatchObject({ id: firstRunId, superseded: true });
    expect(earlier.body.rankings.street.map((r: { unitId: string }) => r.unitId)).toEqual(['s-hubin', 's-wenchang']);
    await get(`/api/v1/scores/2026-09?runId=${firstRunId}`).expect(404);
  });

  it('should have created the monthly schedule at startup: 02:00 Asia/Shanghai on the 1st, overlaps skipped', async () => {
    const description = await eventually(() => temporal.schedule.getHandle(MONTHLY_SCORES_SCHEDULE_ID).describe());
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars).toEqual([
      expect.objectContaining({
        dayOfMonth: [expect.objectContaining({ start: 1, end: 1 })],
        hour: [expect.objectContaining({ start: 2, end: 2 })],
        minute: [expect.objectContaining({ start: 0, end: 0 })],
      }),
    ]);
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'monthlyScores' });
    expect(description.action.args).toEqual([{ trigger: 'schedule' }]);
  });

  it('should score the month before when the schedule fires', async () => {
    // A schedule of this file's own on its task queue, so the run lands in this file's database.
    const scheduleId = `it-scores-${randomUUID()}`;
    expect(await ensureMonthlyScoresSchedule(temporal, taskQueue, scheduleId)).toBe('created');
    expect(await ensureMonthlyScoresSchedule(temporal, taskQueue, scheduleId)).toBe('unchanged');
    expect(await ensureMonthlyScoresSchedule(temporal, `${taskQueue}-moved`, scheduleId)).toBe('updated');
    expect(await ensureMonthlyScoresSchedule(temporal, taskQueue, scheduleId)).toBe('updated');
    const handle = temporal.schedule.getHandle(scheduleId);
    try {
      const expected = previousMonth(new Date());
      await handle.trigger();
      const run = await eventually(async () => {
        const { body } = await get(`/api/v1/scores/runs?month=${expected}`).expect(200);
        const scheduled = body.find((r: { trigger: string; status: string }) => r.trigger === 'schedule');
        if (scheduled?.status !== 'completed')
          throw new Error(`no completed scheduled run yet: ${JSON.stringify(body)}`);
        return scheduled;
      });
      expect(run).toMatchObject({ month: expected, trigger: 'schedule', requestedBy: null });
      expect(run.workflowId).toMatch(/^monthly-scores-/);
    } finally {
      await handle.delete();
    }
  });

  /** Publishes a preset of the demo city for its district, as the designer's publish would (the seed's way). */
  async function publish(id: 'suyu' | 'pinggu'): Promise<void> {
    const definition = DEMO_PRESETS[id];
    await pg.query(
      `INSERT INTO process_versions (definition_id, version, label, document, scope_city_id, scope_district_id,
         published_by, published_by_name, reason)
       VALUES ($1, 1, $1 || '@1', $2, $3, $4, 'designer', '流程设计员（演示）', 'it-scores')`,
      [id, JSON.stringify(definition), definition.jurisdiction.cityId, definition.jurisdiction.districtId],
    );
  }

  it('should score a district under its own definition once it has one, and say which version each scope used', async () => {
    const before = await post('/api/v1/scores/runs', { month: '2026-08' }).expect(201);
    expect(before.body.definitions).toEqual([{ scope: 'city', definition: 'beijing@1' }]);
    const august = (await get('/api/v1/scores/2026-08').expect(200)).body;
    // Under beijing the township's ratings are published, not scored: both departments score 100, the veto shows.
    for (const unitId of ['dept-beijiao-urban-management', 'dept-beijiao-housing']) {
      expect((august.units as UnitView[]).find((u) => u.unitId === unitId)).toMatchObject({ score: 100 });
    }
    expect(august.doubleAssessment).toEqual([
      expect.objectContaining({ departmentId: 'dept-beijiao-housing', count: 2, average: 4, vetoes: 1 }),
      expect.objectContaining({ departmentId: 'dept-beijiao-urban-management', count: 2, average: 4, vetoes: 0 }),
    ]);

    await publish('pinggu');
    await publish('suyu');
    const after = await post('/api/v1/scores/runs', { month: '2026-08' }).expect(201);
    expect(after.body.definitions).toEqual([
      { scope: 'city', definition: 'beijing@1' },
      { scope: 'd-beijiao', definition: 'pinggu@1' },
      { scope: 'd-xishan', definition: 'suyu@1' },
    ]);
    const pinggu = (await get('/api/v1/scores/2026-08').expect(200)).body;
    const unit = (id: string) => (pinggu.units as UnitView[]).find((u) => u.unitId === id);
    // pinggu: the ratings are 20 % of a department's score, 80 × 1 + 20 × (4 − 1) / 4; the veto makes them 0.
    expect(unit('dept-beijiao-urban-management')).toMatchObject({ score: 95, scope: 'd-beijiao' });
    expect(unit('dept-beijiao-housing')).toMatchObject({ score: 80, scope: 'd-beijiao' });
    const vetoed = await get('/api/v1/scores/2026-08/units/dept-beijiao-housing/cases?figure=assessment').expect(200);
    expect(vetoed.body).toMatchObject({
      run: { scope: 'd-beijiao', definition: 'pinggu@1' },
      counted: nos('Q01', 'Q02'),
      met: nos('Q01'),
      missed: nos('Q02'),
      formula: 'assessment = 0 (vetoed) = 0, weight 20',
    });
    const year = await get('/api/v1/scores/years/2026/double-assessment').expect(200);
    expect(year.body.departments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          departmentId: 'dept-beijiao-housing',
          count: 2,
          vetoes: 1,
          months: [{ month: '2026-08', count: 2, average: 4, vetoes: 1 }],
        }),
      ]),
    );
    const own = await get('/api/v1/scores/years/2026/double-assessment', 'housing').expect(200);
    expect(own.body.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual(['dept-housing']);
    await get('/api/v1/scores/years/26/double-assessment').expect(400);

    // October again: 西山区 now answers to suyu's 20 / 30 / 50, ranked in its own scope; 东湖区 keeps beijing's.
    await post('/api/v1/scores/runs', { month: '2026-10' }).expect(201);
    const october = (await get('/api/v1/scores/2026-10').expect(200)).body;
    const district = (id: string) => (october.units as UnitView[]).find((u) => u.unitId === id);
    // 20×11/13 + 30×11/12 + 50×9/10 = 16.92 + 27.5 + 45 (it was 88.97 under beijing's weights)
    expect(district('d-xishan')).toMatchObject({ score: 89.42, rank: 1, scope: 'd-xishan' });
    expect(district('d-donghu')).toMatchObject({ score: 89.73, rank: 1, scope: 'city' });
    expect(october.bottom.district).toEqual(['d-donghu']);
    expect(
      october.scopes.map((scope: { id: string; definition: string; bottom: object }) => [scope.id, scope.definition]),
    ).toEqual([
      ['city', 'beijing@1'],
      ['d-beijiao', 'pinggu@1'],
      ['d-xishan', 'suyu@1'],
    ]);
    expect(october.scopes[2].bottom).toEqual({ street: [], department: [], district: ['d-xishan'] });
    expect(october.scopes[2].policy.weights).toEqual({ response: 20, resolution: 30, satisfaction: 50 });
  });
});
