import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { startTracing, Tracing } from '../../libs/platform/src/tracing';
import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/** A span as an OTLP collector receives it: ids in hex, `parent` empty for a root span. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parent: string;
  name: string;
  kind: number;
  service: string;
}

interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  kind: number;
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource?: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}
// The protobuf messages of OTLP, as compiled into the OpenTelemetry exporter itself (a test-only deep import).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const otlp = require('@opentelemetry/otlp-transformer/build/src/generated/root') as {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { decode(bytes: Uint8Array): OtlpRequest } } } } };
  };
};

const hex = (bytes?: Uint8Array) => Buffer.from(bytes ?? []).toString('hex');

/**
 * Traces from the HTTP request through the Temporal client, the workflow and its activities, exported over OTLP/HTTP
 * (protobuf) to a collector that this test runs in process: one trace id spans the API's server span, the client's
 * StartWorkflow / StartWorkflowUpdate span, the workflow's spans and the activities' spans.
 */
describe('traces', () => {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string | undefined>();
  let collector: Server;
  let tracing: Tracing;
  let stack: TestStack;

  beforeAll(async () => {
    collector = createServer((request, response) => {
      void readBody(request).then((body) => {
        if (request.method === 'POST' && request.url === '/v1/traces') {
          contentTypes.add(request.headers['content-type']);
          spans.push(...received(body));
        }
        response.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    // Tracing starts before the API and the worker, which pick their middleware and interceptors from it.
    tracing = startTracing({ url: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'shaosheng-test' });
    stack = await startTestStack({ label: 'it-tracing', users: { street: handlerOf('s-hubin') } });
  });

  afterAll(async () => {
    await stack?.stop();
    await tracing?.shutdown();
    await new Promise((resolve) => collector?.close(resolve));
  });

  /** A caller's W3C trace context: its trace id, and the span id our server span must name as its parent. */
  const caller = () => {
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
  };
  const inTrace = (traceId: string) => spans.filter((span) => span.traceId === traceId);
  const one = (traceId: string, name: string) => {
    const found = inTrace(traceId).filter((span) => span.name === name);
    expect(found.map((span) => span.name)).toEqual([name]);
    return found[0];
  };

  it('should carry one trace from intake through the client start into the workflow and its activities', async () => {
    const intake = caller();
    const created = await stack
      .http()
      .post('/api/v1/cases')
      .set('traceparent', intake.header)
      .send(noiseComplaintBody())
      .expect(201);
    expect(created.body.status).toBe('started');

    // Workflow spans leave the sandbox after each activation; the batch goes out within a second or so.
    await eventually(async () => {
      await tracing.spanProcessor.forceFlush();
      expect(inTrace(intake.traceId).map((span) => span.name)).toEqual(
        expect.arrayContaining(['RunActivity:recordCaseIntake', 'StartActivity:recordCaseIntake']),
      );
    });
    expect([...contentTypes]).toEqual(['application/x-protobuf']);
    const server = one(intake.traceId, 'POST /api/v1/cases');
    expect(server).toMatchObject({ parent: intake.spanId, kind: 2 /* SERVER */, service: 'shaosheng-test' });
    const start = one(intake.traceId, 'StartWorkflow:complaintCase');
    expect(start.parent).toBe(server.spanId);
    // The activity ran under the span the workflow opened when it scheduled it, in the same trace.
    const scheduled = one(intake.traceId, 'StartActivity:recordCaseIntake');
    const ran = one(intake.traceId, 'RunActivity:recordCaseIntake');
    expect(ran.parent).toBe(scheduled.spanId);
  });

  it('should carry one trace from a case action through the Update into the workflow and its activities', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo: string = created.body.caseNo;
    await eventually(async () => {
      const { rows } = await stack.pg.query(`SELECT phase FROM cases WHERE case_no = $1`, [caseNo]);
      expect(rows[0]?.phase).toBe('awaiting-sign');
    });

    const action = caller();
    await stack
      .http()
      .post(`/api/v1/cases/${caseNo}/sign`)
      .set(bearer(stack.tokens.street))
      .set('traceparent', action.header)
      .send({})
      .expect(200);
    await eventually(async () => {
      await tracing.spanProcessor.forceFlush();
      expect(inTrace(action.traceId).map((span) => span.name)).toEqual(
        expect.arrayContaining(['HandleUpdate:signCase', 'RunActivity:appendCaseEvents']),
      );
    });
    const server = one(action.traceId, 'POST /api/v1/cases/:caseNo/sign');
    expect(server.parent).toBe(action.spanId);
    const update = one(action.traceId, 'StartWorkflowUpdate:signCase');
    expect(update.parent).toBe(server.spanId);
    const handled = one(action.traceId, 'HandleUpdate:signCase');
    expect(handled.parent).toBe(update.spanId);
    // The event mirror the Update wrote: scheduled inside the handler, run by the worker, in the same trace.
    const ran = inTrace(action.traceId).find((span) => span.name === 'RunActivity:appendCaseEvents')!;
    const scheduled = inTrace(action.traceId).find((span) => span.spanId === ran.parent);
    expect(scheduled?.name).toBe('StartActivity:appendCaseEvents');
    expect(scheduled?.parent).toBe(handled.spanId);
  });
});

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

function received(body: Buffer): ReceivedSpan[] {
  const decoded = otlp.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.decode(body);
  return decoded.resourceSpans.flatMap(({ resource, scopeSpans }) => {
    const service = resource?.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    return scopeSpans.flatMap(({ spans }) =>
      spans.map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parent: hex(span.parentSpanId),
        name: span.name,
        kind: span.kind,
        service,
      })),
    );
  });
}
