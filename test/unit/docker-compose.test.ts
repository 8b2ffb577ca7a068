/**
 * Offline checks of docker-compose.yml, the Dockerfile and the PostgreSQL init script: no Docker engine, no compose
 * binary, no network. The file is validated against the Compose Specification schema that dclint ships, then the
 * parts that would break at `docker compose up` are checked against the code (the environment the app reads, the
 * search attributes the workflows set, the compiled entry points).
 */
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { CASE_SEARCH_ATTRIBUTES } from '../../libs/domain/src/case/search-attributes';
import { loadConfig } from '../../libs/platform/src/config/app-config';

const ROOT = join(__dirname, '..', '..');
const COMPOSE_PATH = join(ROOT, 'docker-compose.yml');
const SCHEMA_PATH = join(ROOT, 'node_modules', 'dclint', 'schemas', 'compose.schema.json');

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | { target?: number; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
}
interface ComposeFile {
  version?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = readFileSync(COMPOSE_PATH, 'utf8');
const composeDocument = parseDocument(composeText);
const compose = composeDocument.toJS() as ComposeFile;
const services = compose.services;
const APP_SERVICES = ['api', 'worker'];

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME-default}`, then `$$` to `$`. */
function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value
    .replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
      (_match, name: string, operator?: string, fallback = '') => {
        const set = env[name];
        if (operator === ':-') return set ? set : fallback;
        if (operator === '-') return set !== undefined ? set : fallback;
        return set ?? '';
      },
    )
    .replace(/\$\$/g, '$');
}

/** A service's environment as the container sees it, with the file's defaults (no .env, nothing exported). */
function environmentOf(name: string): Record<string, string> {
  const environment = services[name].environment ?? {};
  const pairs = Array.isArray(environment)
    ? environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2) as [string, string])
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)] as const);
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolate(value)]));
}

function dependenciesOf(name: string): Record<string, string | undefined> {
  const dependsOn = services[name].depends_on ?? {};
  return Array.isArray(dependsOn)
    ? Object.fromEntries(dependsOn.map((dependency) => [dependency, undefined]))
    : Object.fromEntries(Object.entries(dependsOn).map(([dependency, spec]) => [dependency, spec.condition]));
}

function argv(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Long-running services: everything but one-shot jobs (restart "no"). */
function isLongRunning(name: string): boolean {
  return services[name].restart !== 'no';
}

/** The variable names the app reads: the ENV_KEYS list of app-config.ts (it is not exported). */
function appEnvKeys(): string[] {
  const source = readFileSync(join(ROOT, 'libs', 'platform', 'src', 'config', 'app-config.ts'), 'utf8');
  const list = /const ENV_KEYS[^=]*=\s*\[([\s\S]*?)\];/.exec(source);
  if (!list) throw new Error('ENV_KEYS not found in app-config.ts');
  return [...list[1].matchAll(/'([A-Z0-9_]+)'/g)].map((match) => match[1]);
}

function dockerfile(): { stages: string[][]; text: string } {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const instruction of instructions) {
    if (/^FROM\s/i.test(instruction)) stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return { stages, text };
}

function execForm(instruction: string | undefined): string[] {
  if (!instruction) return [];
  const body = instruction.replace(/^\w+\s+/, '');
  return body.startsWith('[') ? (JSON.parse(body) as string[]) : ['/bin/sh', '-c', body];
}

/** Maps a compiled entry point (dist/…/x.js) back to its TypeScript source, as tsconfig.build.json lays it out. */
function sourceOf(compiled: string): string {
  return join(ROOT, compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

describe('docker-compose.yml', () => {
  it('should parse as YAML without errors, warnings or duplicate keys', () => {
    expect(composeDocument.errors).toEqual([]);
    expect(composeDocument.warnings).toEqual([]);
  });

  it('should validate against the Compose Specification schema', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $schema?: string } & Record<string, unknown>;
    const { $schema: dialect = '', ...body } = schema;
    const options = { strict: false, allErrors: true };
    const ajv = dialect.includes('2020-12')
      ? new Ajv2020(options)
      : dialect.includes('2019-09')
        ? new Ajv2019(options)
        : new Ajv(options);
    expect(dialect).toMatch(/draft-07|2019-09|2020-12/);
    const validate = ajv.compile(body);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('should be refused by the schema when a healthcheck or a depends_on condition is malformed', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const validate = new Ajv({ strict: false }).compile(schema);
    const badCondition = structuredClone(compose);
    badCondition.services.api.depends_on = { postgres: { condition: 'service_ready' } };
    expect(validate(badCondition)).toBe(false);
    const badHealthcheck = structuredClone(compose) as unknown as {
      services: Record<string, { healthcheck: Record<string, unknown> }>;
    };
    badHealthcheck.services.worker.healthcheck.interval = 30;
    expect(validate(badHealthcheck)).toBe(false);
  });

  it('should follow the Compose Specification without a version key, so Compose v2 runs it and compose v1 is not needed', () => {
    expect(compose.version).toBeUndefined();
    // The checks in this file read files only: they need neither a Docker engine nor a compose binary.
    expect(existsSync(SCHEMA_PATH)).toBe(true);
  });

  it('should define postgres, temporal, temporal-ui, api and worker', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker']),
    );
  });

  it('should pin every image to a specific version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image) continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/:\d+(\.\d+)+$/) });
    }
  });

  it('should build the api and the worker from this repository Dockerfile', () => {
    for (const name of APP_SERVICES) {
      const build = services[name].build;
      const spec = typeof build === 'string' ? { context: build } : build;
      expect(spec).toBeDefined();
      expect(spec?.context ?? '.').toMatch(/^\.\/?$/);
      expect(existsSync(join(ROOT, spec?.dockerfile ?? 'Dockerfile'))).toBe(true);
    }
  });

  it('should start the worker with the compiled worker entry point', () => {
    const command = argv(services.worker.command);
    expect(command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(existsSync(sourceOf(command[1]))).toBe(true);
  });

  it('should give every long-running service a healthcheck', () => {
    const longRunning = Object.keys(services).filter(isLongRunning);
    expect(longRunning).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker']));
    for (const name of longRunning) {
      const healthcheck = services[name].healthcheck;
      expect({ name, disabled: healthcheck?.disable ?? false }).toEqual({ name, disabled: false });
      expect({ name, test: argv(healthcheck?.test).length > 1 }).toEqual({ name, test: true });
    }
  });

  it('should make the api and the worker wait for a healthy postgres and temporal', () => {
    for (const name of APP_SERVICES) {
      expect(dependenciesOf(name)).toMatchObject({ postgres: 'service_healthy', temporal: 'service_healthy' });
    }
  });

  it('should only wait for health on services that have a healthcheck, and for completion on one-shot jobs', () => {
    for (const name of Object.keys(services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(name))) {
        expect(Object.keys(services)).toContain(dependency);
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
        if (condition === 'service_completed_successfully') expect(isLongRunning(dependency)).toBe(false);
      }
    }
  });

  it('should give the api and the worker only variables the app reads', () => {
    const known = appEnvKeys();
    expect(known).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'LOG_LEVEL']));
    for (const name of APP_SERVICES) {
      for (const key of Object.keys(environmentOf(name)))
        expect({ name, key, known: known.includes(key) }).toEqual({
          name,
          key,
          known: true,
        });
    }
  });

  it('should give the api and the worker a configuration that loadConfig accepts, pointing at the compose services', () => {
    for (const name of APP_SERVICES) {
      const config = loadConfig(environmentOf(name));
      const database = new URL(config.databaseUrl ?? '');
      expect(services[database.hostname]).toBeDefined();
      expect(database.port).toBe('5432');
      const [temporalHost, temporalPort] = (config.temporal.address ?? '').split(':');
      expect(services[temporalHost]).toBeDefined();
      expect(temporalPort).toBe('7233');
    }
    const api = loadConfig(environmentOf('api'));
    const worker = loadConfig(environmentOf('worker'));
    expect(worker.temporal).toEqual(api.temporal);
    expect(worker.databaseUrl).toBe(api.databaseUrl);
  });

  it('should publish the port the api listens on and probe it in the healthcheck', () => {
    const { port } = loadConfig(environmentOf('api')).http;
    const targets = (services.api.ports ?? []).map((entry) =>
      typeof entry === 'object' ? Number(entry.target) : Number(String(entry).split(':').at(-1)?.split('/')[0]),
    );
    expect(targets).toContain(port);
    expect(argv(services.api.healthcheck?.test).join(' ')).toContain(`http://127.0.0.1:${port}/health`);
  });

  it('should create the app database and role with the postgres init script', () => {
    const mount = (services.postgres.volumes ?? [])
      .map((volume) => (typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target ?? '']))
      .find(([, target]) => target === '/docker-entrypoint-initdb.d');
    expect(mount).toBeDefined();
    const folder = join(ROOT, mount?.[0] ?? '');
    expect(statSync(folder).isDirectory()).toBe(true);
    const sql = readdirSync(folder)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => readFileSync(join(folder, file), 'utf8'))
      .join('\n');
    const url = new URL(loadConfig(environmentOf('api')).databaseUrl ?? '');
    const database = url.pathname.slice(1);
    expect(sql).toMatch(new RegExp(`CREATE ROLE ${url.username} LOGIN PASSWORD :'(\\w+)'`));
    expect(sql).toMatch(new RegExp(`CREATE DATABASE ${database} OWNER ${url.username}`));
    // The init script reads the password from the postgres container, which must get the one in DATABASE_URL.
    const variable = /\\getenv \w+ ([A-Z0-9_]+)/.exec(sql)?.[1] ?? '';
    expect(environmentOf('postgres')[variable]).toBe(decodeURIComponent(url.password));
  });

  it('should point Temporal at the postgres service with its credentials', () => {
    const temporal = environmentOf('temporal');
    const postgres = environmentOf('postgres');
    expect(temporal).toMatchObject({ DB: 'postgres12', DB_PORT: '5432', POSTGRES_SEEDS: 'postgres' });
    expect(temporal.POSTGRES_USER).toBe(postgres.POSTGRES_USER);
    expect(temporal.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);
    expect(environmentOf('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('should register exactly the search attributes the case workflows set, before the api and the worker start', () => {
    const [oneShot] = Object.entries(services).filter(([, service]) =>
      strings(service.command).some((text) => text.includes('search-attribute create')),
    );
    expect(oneShot).toBeDefined();
    const [name, service] = oneShot;
    const script = interpolate(strings([service.entrypoint, service.command]).join('\n'));
    const registered = [...script.matchAll(/\b([A-Z][A-Za-z]+):(Keyword|Int|Datetime|Bool|Text|Double|KeywordList)\b/g)]
      .map(([, attribute, type]) => ({ name: attribute, type }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = Object.values(CASE_SEARCH_ATTRIBUTES)
      .map((attribute) => ({ name: attribute.name, type: attribute.type as string }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(registered).toEqual(expected);
    for (const app of APP_SERVICES) expect(dependenciesOf(app)[name]).toBe('service_completed_successfully');
  });

  it('should declare every named volume it mounts', () => {
    const declared = Object.keys(compose.volumes ?? {});
    expect(declared.length).toBeGreaterThan(0);
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        const named = source && !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~');
        if (named) expect(declared).toContain(source);
      }
    }
  });

  it('should escape every literal $ so that compose interpolation leaves shell scripts intact', () => {
    // After `$$` (a literal $), only `${NAME}`, `${NAME:-default}` and the like may remain, NAME in upper case:
    // a shell `${var%%:*}` is a compose syntax error, a shell `${var}` or `$var` would be replaced by compose.
    const interpolation = /\$\{[A-Z][A-Z0-9_]*(?:(?::?[-?+])[^}]*)?\}/g;
    for (const text of strings(compose)) {
      const rest = text.replace(/\$\$/g, '').replace(interpolation, '');
      expect({ text, stray: rest.includes('$') }).toEqual({ text, stray: false });
    }
  });
});

describe('Dockerfile', () => {
  it('should start the compiled API entry point by default', () => {
    const { stages } = dockerfile();
    const runtime = stages.at(-1) ?? [];
    const command = [
      ...execForm(runtime.filter((line) => /^ENTRYPOINT\s/i.test(line)).at(-1)),
      ...execForm(runtime.filter((line) => /^CMD\s/i.test(line)).at(-1)),
    ];
    expect(command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(existsSync(sourceOf(command[1]))).toBe(true);
  });

  it('should build in one stage and run production dependencies as a non-root user in another', () => {
    const { stages } = dockerfile();
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0].join('\n');
    const runtime = stages.at(-1) ?? [];
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/RUN npm run build\b/);
    expect(runtime.join('\n')).toMatch(/RUN npm ci\b[^\n]*--omit=dev/);
    expect(runtime.join('\n')).toMatch(/COPY --from=\w+ \S*dist \.\/dist/);
    // The code finds the project root by nest-cli.json.
    expect(runtime.some((line) => /^COPY\s(?!--from)/.test(line) && line.includes('nest-cli.json'))).toBe(true);
    const user = runtime.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user).toBeDefined();
    expect(user?.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('should keep local state and build output out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.tools', '.cache', '.git']));
  });
});
