import Ajv, { ValidateFunction } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { ITEM_ELEMENT } from '../../apps/api/src/open311/open311.format';
import { BEIJING_DEFINITION } from '../../libs/persistence/src/seed/demo-presets';
import { bearer, handlerOf, TEST_AUTH } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';

/** An answer as read by a test, after its JSON Schema passed. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where `.ci/run` installs the PyPI `georeport` client (a venv of its own); `GEOREPORT_PYTHON` names another. */
const PYTHON = process.env.GEOREPORT_PYTHON ?? join(__dirname, '..', '..', '.tools', 'georeport-venv', 'bin', 'python');
const SCHEMAS = join(__dirname, '..', 'fixtures', 'open311');
/** Per api_key and minute in this file: low, so the limit is reached with a handful of requests. */
const RATE_LIMIT = 6;

type Schema =
  | 'discovery'
  | 'services'
  | 'service-definition'
  | 'post-request'
  | 'token'
  | 'requests'
  | 'updates'
  | 'errors';
/** The root element of each answer's XML. */
const ROOT: Record<Schema, string> = {
  discovery: 'discovery',
  services: 'services',
  'service-definition': 'service_definition',
  'post-request': 'service_requests',
  token: 'service_requests',
  requests: 'service_requests',
  updates: 'service_request_updates',
  errors: 'errors',
};

/**
 * Open311 GeoReport v2 at /open311/v2 against a seeded city (示范市, one jurisdiction until a district publishes its
 * own rules): every answer checked against the JSON Schemas written from the specification (test/fixtures/open311),
 * the XML answers parsed and checked against the same schemas; a request filed as XML becomes a case in the lead
 * unit's inbox and its progress shows in requests/{id} and servicerequestupdates; every error case, with nothing
 * stored; and a real third-party client (PyPI `georeport`) reading the running server.
 */
describe('Open311 GeoReport v2', () => {
  let stack: TestStack<'admin' | 'designer' | 'handler'>;
  let base: string;
  const json = new Ajv({ allErrors: true });
  // XML carries text only: the same schemas, with "true" / "39.9" / "" read as the types they stand for.
  const xml = new Ajv({ allErrors: true, coerceTypes: true });
  const validators: Record<string, { json: ValidateFunction; xml: ValidateFunction }> = {};
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => Object.values(ITEM_ELEMENT).includes(name),
  });
  let previousLimit: string | undefined;

  beforeAll(async () => {
    previousLimit = process.env.OPEN311_REQUESTS_PER_MINUTE;
    process.env.OPEN311_REQUESTS_PER_MINUTE = String(RATE_LIMIT);
    for (const name of Object.keys(ROOT)) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')) as object;
      validators[name] = { json: json.compile(schema), xml: xml.compile(schema) };
    }
    stack = await startTestStack({
      label: 'it-open311',
      scratch: true,
      seed: true,
      users: { admin: 'admin', designer: 'designer', handler: handlerOf('s-hubin') },
    });
    await stack.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
    // A scratch database, migrated and seeded, and a worker: slow on a busy machine.
  }, 240_000);
  afterAll(async () => {
    if (previousLimit === undefined) delete process.env.OPEN311_REQUESTS_PER_MINUTE;
    else process.env.OPEN311_REQUESTS_PER_MINUTE = previousLimit;
    await stack?.stop();
  });

  const http = () => request(stack.app.getHttpServer());

  /** A new api_key: an API token with the open311 scope. */
  async function newKey(): Promise<string> {
    const created = await http()
      .post('/api/v1/auth/api-tokens')
      .set(bearer(stack.tokens.admin))
      .send({
        name: `open311-${randomUUID().slice(0, 8)}`,
        role: 'operator',
        unitId: 'centre-12345',
        scopes: ['open311'],
      })
      .expect(201);
    expect(created.body.scopes).toEqual(['open311']);
    return created.body.token as string;
  }

  /** The JSON answer, checked against its schema. */
  function checkJson(schema: Schema, body: unknown): void {
    const validate = validators[schema].json;
    if (!validate(body)) throw new Error(`${schema}: ${json.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }

  /** The XML answer parsed (declaration, root) and mapped by the Spark convention, checked against its schema. */
  function checkXml(schema: Schema, text: string): unknown {
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const parsed = parser.parse(text) as Record<string, unknown>;
    const root = ROOT[schema];
    expect(Object.keys(parsed).filter((key) => key !== '?xml')).toEqual([root]);
    const body = spark(root, parsed[root]);
    const validate = validators[schema].xml;
    if (!validate(body)) throw new Error(`${schema} (xml): ${xml.errorsText(validate.errors)}\n${text}`);
    return body;
  }

  /** GETs a resource in both formats; checks both; answers the JSON body and the XML mapped. */
  async function both(schema: Schema, path: string, status = 200): Promise<{ json: Json; xml: Json }> {
    const [asJson, asXml] = await Promise.all([
      http().get(path.replace('{f}', 'json')),
      http().get(path.replace('{f}', 'xml')),
    ]);
    expect([asJson.status, asXml.status, asJson.text]).toEqual([status, status, asJson.text]);
    expect(asJson.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(asXml.headers['content-type']).toBe('text/xml; charset=utf-8');
    checkJson(schema, asJson.body);
    return { json: asJson.body, xml: checkXml(schema, asXml.text) };
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  /** POSTs a form to requests.<format>. */
  const file = (fields: Record<string, string>, format: 'xml' | 'json' = 'json') =>
    http().post(`/open311/v2/requests.${format}`).type('form').send(form(fields));

  const count = async (table: string) =>
    Number((await stack.pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const stored = async () => ({
    intake: await count('intake_requests'),
    repeats: await count('repeat_contacts'),
    open311: await count('open311_requests'),
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** A point in 西苑社区 (湖滨街道, 东湖区): its first grid's centroid. */
  const XIYUAN = { lat: '39.9292', long: '116.4338' };
  const unique = () => `示范市东湖区湖滨街道西苑社区湖滨路${randomUUID().slice(0, 8)}号`;

  it('should publish discovery, the service list and service definitions in both formats, as the schemas say', async () => {
    const discovery = await both('discovery', '/open311/v2/discovery.{f}');
    expect(discovery.json.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: expect.stringMatching(/\/open311\/v2$/),
      formats: ['text/xml', 'application/json'],
    });
    expect(discovery.xml).toEqual(discovery.json);

    const services = await both('services', '/open311/v2/services.{f}');
    const noise = services.json.find((service: { service_code: string }) => service.service_code === 'noise-nuisance');
    expect(noise).toMatchObject({ service_name: '噪声扰民', metadata: false, type: 'realtime' });
    expect(services.json.find((s: { service_code: string }) => s.service_code === 'stray-animals')).toMatchObject({
      metadata: true,
    });
    expect(services.xml.map((s: { service_code: string }) => s.service_code)).toEqual(
      services.json.map((s: { service_code: string }) => s.service_code),
    );

    // The city's jurisdiction named explicitly answers the same.
    const named = await http().get('/open311/v2/services.json?jurisdiction_id=city-demo').expect(200);
    expect(named.body).toEqual(services.json);

    const definition = await both('service-definition', '/open311/v2/services/stray-animals.{f}');
    const kind = definition.json.attributes.find((attribute: { code: string }) => attribute.code === 'kind');
    expect(kind).toMatchObject({ required: true, datatype: 'singlevaluelist' });
    expect(kind.values.map((value: { key: string }) => value.key)).toEqual(['help', 'complaint']);
    expect(definition.xml).toEqual(definition.json);
  });

  it("should make a request filed as XML a case in the lead unit's inbox, and show its progress as it moves", async () => {
    const key = await newKey();
    const address = unique();
    const filed = await file(
      {
        api_key: key,
        service_code: 'noise-nuisance',
        ...XIYUAN,
        address_string: address,
        description: '楼下商铺夜间噪声扰民',
        first_name: '女士',
        last_name: '李',
        phone: '13900001111',
        email: 'li@example.org',
        media_url: 'https://example.org/photo.jpg',
      },
      'xml',
    ).expect(200);
    expect(filed.headers['content-type']).toBe('text/xml; charset=utf-8');
    const [answer] = checkXml('post-request', filed.text) as Array<{
      service_request_id: string;
      service_notice: string;
    }>;
    const caseNo = String(answer.service_request_id);
    expect(answer.service_notice).toContain(`已立案 ${caseNo}`);
    expect(answer.service_notice).toContain('湖滨街道');

    // Readable at once, before its workflow has written the case record.
    const early = await http().get(`/open311/v2/requests/${caseNo}.json`).expect(200);
    checkJson('requests', early.body);
    expect(early.body[0]).toMatchObject({ service_request_id: caseNo, status: 'open', address });

    // The case: channel open311, placed in 西苑社区 by the point, the client recorded with it.
    await until('the case record', async () => {
      const rows = await stack.pg.query(`SELECT 1 FROM cases WHERE case_no = $1`, [caseNo]);
      return rows.rowCount ? true : undefined;
    });
    const row = await stack.pg.query(
      `SELECT c.channel, c.community_id, c.street_id, c.district_id, o.api_token_id, t.name AS client, o.media_url
         FROM cases c JOIN open311_requests o ON o.case_no = c.case_no JOIN api_tokens t ON t.id = o.api_token_id
        WHERE c.case_no = $1`,
      [caseNo],
    );
    expect(row.rows[0]).toMatchObject({
      channel: 'open311',
      community_id: 'c-xiyuan',
      street_id: 's-hubin',
      district_id: 'd-donghu',
      client: expect.stringMatching(/^open311-/),
      media_url: 'https://example.org/photo.jpg',
    });

    // In the lead unit's inbox, as any case.
    const task = await until('the sign task in the inbox', async () => {
      const inbox = await http().get(`/api/v1/tasks?q=${caseNo}`).set(bearer(stack.tokens.handler)).expect(200);
      return (inbox.body.items as Array<{ id: string; caseNo: string; step: string }>).find(
        (item) => item.caseNo === caseNo && item.step === 'sign',
      );
    });

    const before = await both('requests', `/open311/v2/requests/${caseNo}.{f}`);
    expect(before.json[0]).toMatchObject({
      service_request_id: caseNo,
      status: 'open',
      status_notes: '已派至承办单位，等待签收',
      service_code: 'noise-nuisance',
      service_name: '噪声扰民',
      agency_responsible: '湖滨街道',
      address,
      lat: 39.9292,
      long: 116.4338,
      media_url: 'https://example.org/photo.jpg',
      description: null,
    });
    expect(before.json[0].expected_datetime).toEqual(expect.any(String));
    expect(before.xml).toEqual(before.json);
    // Never the citizen's personal data.
    for (const text of [JSON.stringify(before.json), JSON.stringify(before.xml)]) {
      expect(text).not.toMatch(/13900001111|李女士|li@example|夜间噪声/);
    }

    // The handler signs from the inbox: the request's status notes and the updates say so.
    await http().post(`/api/v1/tasks/${task.id}/actions/sign`).set(bearer(stack.tokens.handler)).send({}).expect(200);
    const signed = await until('the signed status', async () => {
      const read = await http().get(`/open311/v2/requests/${caseNo}.json`).expect(200);
      return read.body[0].status_notes === '承办单位正在办理' ? read.body[0] : undefined;
    });
    expect(signed.status).toBe('open');
    const updates = await both('updates', '/open311/v2/servicerequestupdates.{f}');
    const mine = updates.json.filter((update: { service_request_id: string }) => update.service_request_id === caseNo);
    expect(mine.map((update: { description: string }) => update.description)).toEqual(
      expect.arrayContaining(['已派至承办单位', '承办单位已签收']),
    );
    expect(mine.every((update: { status: string }) => update.status === 'open')).toBe(true);

    // Listed among the open requests of its service, not among the closed.
    const open = await both('requests', '/open311/v2/requests.{f}?status=open&service_code=noise-nuisance');
    expect(open.json.map((r: { service_request_id: string }) => r.service_request_id)).toContain(caseNo);
    const closed = await http().get('/open311/v2/requests.json?status=closed').expect(200);
    expect(closed.body.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(caseNo);
  });

  it('should divert an emergency, and show the request closed in requests/{id} and servicerequestupdates', async () => {
    const key = await newKey();
    const filed = await file({
      api_key: key,
      service_code: 'noise-nuisance',
      address_string: unique(),
      description: '楼道起火冒烟',
      'attribute[emergency]': 'fire',
    }).expect(200);
    checkJson('post-request', filed.body);
    const caseNo = filed.body[0].service_request_id as string;
    expect(filed.body[0].service_notice).toContain('119');
    const closed = await until('the diverted case closed', async () => {
      const read = await http().get(`/open311/v2/requests/${caseNo}.json`);
      return read.status === 200 && read.body[0].status === 'closed' ? read.body[0] : undefined;
    });
    expect(closed.status_notes).toContain('应急部门');
    // Located by the address alone: no point published.
    expect(closed).toMatchObject({ lat: null, long: null, agency_responsible: null });
    const updates = await http().get('/open311/v2/servicerequestupdates.json').expect(200);
    checkJson('updates', updates.body);
    expect(updates.body).toContainEqual(
      expect.objectContaining({ service_request_id: caseNo, status: 'closed', description: '诉求已办结' }),
    );
  });

  it('should close an inadmissible matter at intake, telling the channel to use in service_notice', async () => {
    const filed = await file({
      api_key: await newKey(),
      service_code: 'neighbour-disputes',
      address_string: unique(),
      description: '与邻居的房屋纠纷已经起诉到法院',
      'attribute[kind]': 'help',
      'attribute[inadmissible]': 'litigation',
    }).expect(200);
    checkJson('post-request', filed.body);
    expect(filed.body[0].service_notice).toContain('人民法院');
    const caseNo = filed.body[0].service_request_id as string;
    const closed = await until('the inadmissible case closed', async () => {
      const read = await http().get(`/open311/v2/requests/${caseNo}.json`);
      return read.status === 200 && read.body[0].status === 'closed' ? read.body[0] : undefined;
    });
    expect(closed.status_notes).toBe('该事项不属热线受理范围，已告知应通过的渠道');
  });

  it('should count a repeat of an open case on it, and say so in service_notice', async () => {
    const key = await newKey();
    const address = unique();
    const fields = { api_key: key, service_code: 'noise-nuisance', address_string: address, description: '噪声' };
    const first = await file(fields).expect(200);
    const firstNo = first.body[0].service_request_id as string;
    // Running: its workflow has written the case row (the public read answers from the stored submission before).
    await until('the first case running', async () => {
      const rows = await stack.pg.query(`SELECT 1 FROM cases WHERE case_no = $1`, [firstNo]);
      return rows.rowCount ? true : undefined;
    });
    const before = await stored();
    const repeat = await file(fields).expect(200);
    checkJson('post-request', repeat.body);
    expect(repeat.body[0].service_request_id).toBe(firstNo);
    expect(repeat.body[0].service_notice).toContain(`同一问题已有在办诉求 ${firstNo}`);
    expect(await stored()).toEqual({ ...before, repeats: before.repeats + 1, open311: before.open311 + 1 });
  });

  it('should answer a token while the engine is unreachable, and the case number once the case runs', async () => {
    const key = await newKey();
    // A second API on the same database whose Temporal does not answer (nothing listens on port 1).
    const unreachable = await createApiApp({
      databaseUrl: stack.databaseUrl,
      temporal: { address: '127.0.0.1:1', namespace: 'default', taskQueue: stack.taskQueue, callTimeoutMs: 2_000 },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await unreachable.init();
    let token: string;
    try {
      const filed = await request(unreachable.getHttpServer())
        .post('/open311/v2/requests.xml')
        .type('form')
        .send(form({ api_key: key, service_code: 'noise-nuisance', address_string: unique(), description: '噪声' }))
        .expect(200);
      const [answer] = checkXml('post-request', filed.text) as Array<{ token: string; service_notice: string }>;
      token = answer.token;
      expect(answer).not.toHaveProperty('service_request_id');
      expect(answer.service_notice).toContain(`tokens/${token}`);
    } finally {
      await unreachable.close();
    }
    const pending = await both('token', `/open311/v2/tokens/${token}.{f}`);
    expect(pending.json).toEqual([{ token }]);
    expect(pending.xml).toEqual([{ token }]);
    // This API starts stored submissions as soon as Temporal answers (every 15 s): then the token gives the case.
    const known = await until(
      'the case number of the token',
      async () => {
        const read = await http().get(`/open311/v2/tokens/${token}.json`).expect(200);
        return read.body[0].service_request_id ? read.body : undefined;
      },
      60_000,
    );
    checkJson('token', known);
    const caseNo = known[0].service_request_id as string;
    expect(known).toEqual([{ service_request_id: caseNo, token }]);
    const inOpen311 = await stack.pg.query(`SELECT case_no, outcome FROM open311_requests WHERE token = $1`, [token]);
    expect(inOpen311.rows[0]).toEqual({ case_no: caseNo, outcome: 'received' });
  }, 120_000);

  describe('errors, each a list of {code, description} in the format asked, nothing stored', () => {
    const refusals: Array<[string, (key: string) => Record<string, string>, number, RegExp]> = [
      ['no api_key', (_key) => ({ service_code: 'noise-nuisance', ...XIYUAN }), 403, /api_key: required/],
      ['a wrong api_key', (_key) => ({ api_key: 'shs_nope', service_code: 'noise-nuisance' }), 403, /api_key: invalid/],
      [
        'an unknown jurisdiction',
        (key) => ({ api_key: key, jurisdiction_id: 'nowhere.gov', service_code: 'noise-nuisance', ...XIYUAN }),
        404,
        /jurisdiction_id nowhere\.gov was not found/,
      ],
      ['no service_code', (key) => ({ api_key: key, ...XIYUAN }), 400, /service_code: required/],
      [
        'an unknown service_code',
        (key) => ({ api_key: key, service_code: 'potholes', ...XIYUAN }),
        404,
        /service_code potholes was not found/,
      ],
      ['no location', (key) => ({ api_key: key, service_code: 'noise-nuisance' }), 400, /location: send lat and long/],
      [
        'half a point',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', lat: '39.9' }),
        400,
        /long: required with lat/,
      ],
      [
        'a point outside the jurisdiction',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', lat: '31.23', long: '121.47' }),
        400,
        /outside jurisdiction city-demo \(示范市\)/,
      ],
      [
        'an address naming no unit',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', address_string: '上海市黄浦区南京东路1号' }),
        400,
        /address_string: names no district/,
      ],
      [
        'an unknown address_id',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', address_id: 'g-nowhere' }),
        400,
        /address_id: g-nowhere is not/,
      ],
      [
        'a required attribute missing',
        (key) => ({ api_key: key, service_code: 'stray-animals', ...XIYUAN }),
        400,
        /attribute\[kind\]: required/,
      ],
      [
        'an attribute value not listed',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', ...XIYUAN, 'attribute[urgency]': 'asap' }),
        400,
        /attribute\[urgency\]: must be one of/,
      ],
      [
        'an unknown field',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', ...XIYUAN, colour: 'red' }),
        400,
        /colour: not a field/,
      ],
      [
        'a bad media_url',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', ...XIYUAN, media_url: 'javascript:alert(1)' }),
        400,
        /media_url: must be an http/,
      ],
      [
        'a description over 4000 characters',
        (key) => ({ api_key: key, service_code: 'noise-nuisance', ...XIYUAN, description: 'x'.repeat(4001) }),
        400,
        /description: at most 4000/,
      ],
    ];

    refusals.push([
      'every problem of a request at once',
      (key) => ({ api_key: key, service_code: 'stray-animals', media_url: 'ftp://x', description: 'x'.repeat(4001) }),
      400,
      /description: at most 4000[\s\S]*media_url: must be[\s\S]*attribute\[kind\]: required[\s\S]*location: send/,
    ]);

    it.each(refusals)('should refuse %s', async (_name, fields, status, message) => {
      // A key of its own per case: each sends two requests, and the rate limit is low in this file.
      const body = fields(await newKey());
      const before = await stored();
      const asJson = await file(body, 'json');
      expect(asJson.status).toBe(status);
      checkJson('errors', asJson.body);
      expect(asJson.body.map((error: { description: string }) => error.description).join('\n')).toMatch(message);
      const asXml = await file(body, 'xml');
      expect(asXml.status).toBe(status);
      const errors = checkXml('errors', asXml.text) as Array<{ code: number; description: string }>;
      expect(errors).toEqual(asJson.body);
      expect(await stored()).toEqual(before);
    });

    it('should refuse a token limited to Open311 as a bearer token on the API', async () => {
      const key = await newKey();
      const response = await http().get('/api/v1/auth/me').set(bearer(key));
      expect(response.status).toBe(401);
    });

    it('should answer 404 for unknown resources, services, requests, tokens and formats', async () => {
      for (const path of [
        '/open311/v2/services/potholes.json',
        '/open311/v2/requests/20260101999999.json',
        '/open311/v2/requests/abc.json',
        `/open311/v2/tokens/${randomUUID()}.json`,
        '/open311/v2/services.yaml',
        '/open311/v2/services.json?jurisdiction_id=nowhere.gov',
      ]) {
        const response = await http().get(path);
        expect([path, response.status]).toEqual([path, 404]);
        if (path.endsWith('.json') || path.includes('.json?')) checkJson('errors', response.body);
      }
      const asXml = await http().get('/open311/v2/services/potholes.xml').expect(404);
      expect(checkXml('errors', asXml.text)).toEqual([
        { code: 404, description: 'service_code potholes was not found in jurisdiction city-demo' },
      ]);
    });

    it('should answer 400 for bad query parameters of requests and servicerequestupdates', async () => {
      for (const [path, message] of [
        ['/open311/v2/requests.json?status=pending', /status: must be open or closed/],
        ['/open311/v2/requests.json?start_date=yesterday', /start_date: must be a W3C datetime/],
        ['/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', /90 days/],
        ['/open311/v2/requests.json?colour=red', /colour: not a parameter/],
        ['/open311/v2/servicerequestupdates.json?end_date=2026-01-01', /end_date: must be a W3C datetime/],
      ] as const) {
        const response = await http().get(path);
        expect([path, response.status]).toEqual([path, 400]);
        checkJson('errors', response.body);
        expect(response.body[0].description).toMatch(message);
      }
    });

    it('should limit each api_key, answering 400 with code 429 and Retry-After, and count no request', async () => {
      const limited = await newKey();
      const fields = { api_key: limited, service_code: 'potholes', ...XIYUAN };
      for (let i = 0; i < RATE_LIMIT; i++) await file(fields).expect(404);
      const before = await stored();
      const over = await file({ ...fields, service_code: 'noise-nuisance', address_string: unique() }).expect(400);
      checkJson('errors', over.body);
      expect(over.body[0].code).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(await stored()).toEqual(before);
      // Another client is not limited by it.
      await file({ ...fields, api_key: await newKey() }).expect(404);
    });
  });

  it('should serve the third-party georeport client (PyPI) listing services and reading requests', async () => {
    if (!existsSync(PYTHON))
      throw new Error(`${PYTHON} is missing: .ci/run installs georeport into .tools/georeport-venv`);
    const key = await newKey();
    // A plain form POST files one.
    const filed = await file({
      api_key: key,
      service_code: 'stray-animals',
      address_id: 'c-xiyuan',
      'attribute[kind]': 'help',
      description: '小区里有受伤的流浪狗',
    }).expect(200);
    const caseNo = filed.body[0].service_request_id as string;
    await until('the case running', async () => {
      const read = await http().get(`/open311/v2/requests/${caseNo}.json`);
      return read.status === 200 ? true : undefined;
    });
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        PYTHON,
        [join(__dirname, '..', 'support', 'georeport-client.py'), `${base}/open311/v2`, 'city-demo', caseNo],
        { timeout: 60_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const seen = JSON.parse(output) as Json;
    expect(seen.service_codes).toContain('stray-animals');
    expect(seen.service_codes_xml).toEqual(seen.service_codes);
    expect(seen.definition_attributes).toContain('kind');
    expect(seen.requests.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([caseNo]);
    expect(seen.request).toMatchObject({ service_request_id: caseNo, service_code: 'stray-animals', status: 'open' });
    expect(seen.request_xml).toMatchObject({
      service_request_id: caseNo,
      service_code: 'stray-animals',
      status: 'open',
    });
    expect(seen.open_ids).toContain(caseNo);
  }, 90_000);

  // Last: it gives 北郊区 rules of its own, making the city one jurisdiction of several.
  it('should serve a district with rules of its own as a jurisdiction of its own, and keep locations inside', async () => {
    const document = { ...BEIJING_DEFINITION, id: `it-open311-${randomUUID().slice(0, 8)}`, name: '北郊区测试定义' };
    const draft = await http().post('/api/v1/rules/drafts').set(bearer(stack.tokens.designer)).send({ document });
    expect(draft.status).toBe(201);
    await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(bearer(stack.tokens.designer))
      .send({ reason: 'Open311 测试', scope: { cityId: 'city-demo', districtId: 'd-beijiao' } })
      .expect(201);

    const unnamed = await http().get('/open311/v2/services.json').expect(400);
    checkJson('errors', unnamed.body);
    expect(unnamed.body[0].description).toMatch(
      /jurisdiction_id: required.*city-demo \(示范市\), d-beijiao \(北郊区\)/,
    );
    await both('services', '/open311/v2/services.{f}?jurisdiction_id=d-beijiao');

    const key = await newKey();
    const base = { api_key: key, service_code: 'noise-nuisance', description: '噪声' };
    const elsewhere = await file({ ...base, jurisdiction_id: 'd-beijiao', ...XIYUAN }).expect(400);
    expect(elsewhere.body[0].description).toMatch(/lies in 东湖区 \(d-donghu\), outside jurisdiction d-beijiao/);
    const ownRules = await file({ ...base, jurisdiction_id: 'city-demo', address_id: 'c-qinghewan' }).expect(400);
    expect(ownRules.body[0].description).toMatch(
      /outside jurisdiction city-demo .*d-beijiao is a jurisdiction of its own/,
    );

    const filed = await file({ ...base, jurisdiction_id: 'd-beijiao', lat: '40.0162', long: '116.4161' }).expect(200);
    const caseNo = filed.body[0].service_request_id as string;
    expect(filed.body[0].service_notice).toContain(`已立案 ${caseNo}`);
    const read = await http().get(`/open311/v2/requests/${caseNo}.json?jurisdiction_id=d-beijiao`).expect(200);
    expect(read.body[0]).toMatchObject({ service_request_id: caseNo, address_id: 'c-qinghewan' });
    await http().get(`/open311/v2/requests/${caseNo}.json?jurisdiction_id=city-demo`).expect(404);
  });
});

/** An XML element parsed by fast-xml-parser, mapped by the Spark convention: lists (by their item names) as arrays. */
function spark(name: string, node: unknown): unknown {
  const item = ITEM_ELEMENT[name];
  if (item) {
    if (node === '' || node === undefined) return [];
    return ((node as Record<string, unknown[]>)[item] ?? []).map((child) => spark(item, child));
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, spark(key, child)]));
  }
  return node === '' ? null : node;
}
