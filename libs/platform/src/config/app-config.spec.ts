import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('should apply the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'shaosheng-cases' });
    expect(config.temporal.tls).toBeUndefined();
    expect(config.embedded).toEqual({
      dataDir: '.data',
      postgresPort: 5433,
      temporalPort: 7233,
      temporalUiPort: 8233,
      worker: 'process',
    });
  });

  it('should read external servers and TLS settings', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/shaosheng',
      TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'city.a1b2c',
      TEMPORAL_API_KEY: 'secret',
    });
    expect(config.http.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/shaosheng');
    expect(config.temporal).toMatchObject({
      address: 'ns.tmprl.cloud:7233',
      namespace: 'city.a1b2c',
      apiKey: 'secret',
    });
    expect(config.temporal.tls).toBeDefined();
  });

  it.each([
    ['PORT', 'abc', /PORT="abc": .*integer/],
    ['PORT', '70000', /PORT="70000": .*65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x": DATABASE_URL must be a postgres:\/\//],
    ['TEMPORAL_ADDRESS', 'localhost', /TEMPORAL_ADDRESS="localhost": TEMPORAL_ADDRESS must be host:port/],
    ['TEMPORAL_TLS', 'maybe', /TEMPORAL_TLS="maybe": TEMPORAL_TLS must be true or false/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud": LOG_LEVEL must be one of/],
  ])('should refuse %s=%s naming the variable and the rule', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(expected);
  });

  it('should report every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', EMBEDDED_POSTGRES_PORT: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems.map((problem) => problem.split('=')[0])).toEqual([
        'PORT',
        'EMBEDDED_POSTGRES_PORT',
      ]);
    }
  });

  it('should treat an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ http: { port: 3000 }, databaseUrl: undefined });
  });
});
