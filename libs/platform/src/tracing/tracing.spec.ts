import { tracingConfigFromEnv } from './tracing';

describe('tracingConfigFromEnv', () => {
  it.each([
    ['nothing set', {}, undefined],
    [
      'the collector base URL',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
      'http://collector:4318/v1/traces',
    ],
    ['a base URL with a slash', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4318/' }, 'https://c:4318/v1/traces'],
    [
      'the traces URL, which wins',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/traces' },
      'http://b:4318/traces',
    ],
    ['the SDK disabled', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }, undefined],
    [
      'http/protobuf asked for',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
      'http://c:4318/v1/traces',
    ],
  ])('should read %s', (_, env, url) => {
    expect(tracingConfigFromEnv('shaosheng-api', env)?.url).toBe(url);
  });

  it('should name the service from OTEL_SERVICE_NAME, else the default', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(tracingConfigFromEnv('shaosheng-api', env)?.serviceName).toBe('shaosheng-api');
    expect(tracingConfigFromEnv('shaosheng-api', { ...env, OTEL_SERVICE_NAME: 'api-east' })?.serviceName).toBe(
      'api-east',
    );
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://c:4317' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /must be http\/protobuf/],
  ])('should refuse %j at boot, naming the variable', (env, message) => {
    expect(() => tracingConfigFromEnv('shaosheng-api', env)).toThrow(message);
  });
});
