import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0'
        ? false
        : value;

/**
 * Every environment variable Shaosheng reads, validated once at boot. Unset optional variables take the defaults
 * of the embedded setup (README, "Configuration").
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^[^\s:]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. 127.0.0.1:7233' })
  TEMPORAL_ADDRESS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,255}$/, {
    message: 'TEMPORAL_NAMESPACE must be 1-255 letters, digits, dots, dashes or underscores',
  })
  TEMPORAL_NAMESPACE?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,255}$/, {
    message: 'TEMPORAL_TASK_QUEUE must be 1-255 letters, digits, dots, dashes or underscores',
  })
  TEMPORAL_TASK_QUEUE?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'TEMPORAL_TLS must be true or false' })
  TEMPORAL_TLS?: boolean;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CERT_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_KEY_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CA_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_API_KEY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60_000)
  TEMPORAL_CALL_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(/^[^\s:]+:\d{1,5}$/, { message: 'WORKER_METRICS_ADDRESS must be host:port, e.g. 0.0.0.0:9464' })
  WORKER_METRICS_ADDRESS?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_TEMPORAL_PORT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  TEMPORAL_UI_PORT?: number;

  @IsOptional()
  @IsIn(['process', 'in-process'], { message: 'EMBEDDED_WORKER must be process or in-process' })
  EMBEDDED_WORKER?: 'process' | 'in-process';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)' })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  AUTH_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'AUTH_DEMO_USERS must be true or false' })
  AUTH_DEMO_USERS?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'AUTH_ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(200)
  AUTH_ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTAKE_RATE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTAKE_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  NOTIFICATIONS_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  INTAKE_START_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INTAKE_QUEUE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  INTAKE_START_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  INTAKE_START_FAST_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  INTAKE_START_WAIT_AHEAD?: number;
}

/** At most `limit` requests per `windowSeconds` from one caller. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** How long the API waits for Temporal in one request by default, in milliseconds. */
export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 10_000;

/** Connections in a process's PostgreSQL pool by default. */
export const DEFAULT_DATABASE_POOL_MAX = 10;

/** The validated configuration, with defaults applied. */
export interface AppConfig {
  http: { port: number; host: string };
  /** Unset means "start an embedded PostgreSQL" (npm start only). */
  databaseUrl?: string;
  temporal: {
    /** Unset means "start an embedded Temporal dev server" (npm start only). */
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    apiKey?: string;
    /**
     * The longest the API waits for Temporal in one request, in milliseconds (default 10 000): past it the request
     * answers 503 with `Retry-After` (intake: 202, the submission is stored).
     */
    callTimeoutMs?: number;
  };
  /** Where the worker serves the Temporal SDK's Prometheus metrics (`host:port`); unset: not served. */
  workerMetricsAddress?: string;
  embedded: {
    dataDir: string;
    postgresPort: number;
    temporalPort: number;
    temporalUiPort: number;
    /**
     * Where `npm start` runs the case worker: `process` (default), a child process of its own, so the API's event
     * loop never waits behind the worker's; `in-process`, beside the API (one process, less memory).
     */
    worker: 'process' | 'in-process';
  };
  logLevel: string;
  auth: {
    /** HS256 secret of login tokens; unset means "generated once under the data directory" (embedded only). */
    jwtSecret?: string;
    /** Lifetime of a login token, in seconds. */
    tokenTtlSeconds: number;
    /** Seed the demo city's users (known password): on by default only without DATABASE_URL. */
    seedDemoUsers: boolean;
    /** When set, an `admin` user with this password is created if none exists. */
    adminPassword?: string;
    /** Login attempts per client address and username. */
    loginRateLimit: RateLimit;
    /** Anonymous (public) intake submissions per client address. */
    intakeRateLimit: RateLimit;
  };
  /** How often each API instance's outbox dispatcher looks for due notifications, in ms; 0: it never does. */
  notifications: { pollIntervalMs: number };
  /** Connections in each process's PostgreSQL pool (API and worker each have one). */
  databasePoolMax: number;
  /** Admission control of intake: starts in flight, keys queued, how long a POST waits for its own start (ms). */
  intake: {
    startConcurrency: number;
    queueLimit: number;
    startWaitMs: number;
    fastStartMs: number;
    waitAhead: number;
  };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and returns typed settings; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.fromEntries(ENV_KEYS.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const vars = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(vars, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => {
        const rules = Object.values(error.constraints ?? {}).join('; ');
        // A secret never appears in an error message, even a wrong one.
        const shown = SECRET_KEYS.has(error.property) ? '"(hidden)"' : JSON.stringify(known[error.property]);
        return `${error.property}=${shown}: ${rules}`;
      }),
    );
  }
  const tlsWanted = vars.TEMPORAL_TLS ?? Boolean(vars.TEMPORAL_TLS_CERT_PATH || vars.TEMPORAL_API_KEY);
  return {
    http: { port: vars.PORT ?? 3000, host: vars.HOST ?? '0.0.0.0' },
    databaseUrl: vars.DATABASE_URL,
    temporal: {
      address: vars.TEMPORAL_ADDRESS,
      namespace: vars.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: vars.TEMPORAL_TASK_QUEUE ?? 'shaosheng-cases',
      tls: tlsWanted
        ? {
            certPath: vars.TEMPORAL_TLS_CERT_PATH,
            keyPath: vars.TEMPORAL_TLS_KEY_PATH,
            caPath: vars.TEMPORAL_TLS_CA_PATH,
            serverName: vars.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: vars.TEMPORAL_API_KEY,
      callTimeoutMs: vars.TEMPORAL_CALL_TIMEOUT_MS ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS,
    },
    workerMetricsAddress: vars.WORKER_METRICS_ADDRESS,
    embedded: {
      dataDir: vars.DATA_DIR ?? '.data',
      postgresPort: vars.EMBEDDED_POSTGRES_PORT ?? 5433,
      temporalPort: vars.EMBEDDED_TEMPORAL_PORT ?? 7233,
      temporalUiPort: vars.TEMPORAL_UI_PORT ?? 8233,
      worker: vars.EMBEDDED_WORKER ?? 'process',
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    auth: {
      jwtSecret: vars.JWT_SECRET,
      tokenTtlSeconds: vars.AUTH_TOKEN_TTL_SECONDS ?? 8 * 3600,
      seedDemoUsers: vars.AUTH_DEMO_USERS ?? !vars.DATABASE_URL,
      adminPassword: vars.AUTH_ADMIN_PASSWORD,
      loginRateLimit: { limit: vars.LOGIN_RATE_LIMIT ?? 10, windowSeconds: vars.LOGIN_RATE_WINDOW_SECONDS ?? 60 },
      intakeRateLimit: { limit: vars.INTAKE_RATE_LIMIT ?? 30, windowSeconds: vars.INTAKE_RATE_WINDOW_SECONDS ?? 60 },
    },
    notifications: { pollIntervalMs: vars.NOTIFICATIONS_POLL_INTERVAL_MS ?? 2000 },
    databasePoolMax: vars.DATABASE_POOL_MAX ?? DEFAULT_DATABASE_POOL_MAX,
    intake: {
      startConcurrency: vars.INTAKE_START_CONCURRENCY ?? 8,
      queueLimit: vars.INTAKE_QUEUE_LIMIT ?? 1000,
      startWaitMs: vars.INTAKE_START_WAIT_MS ?? 3000,
      fastStartMs: vars.INTAKE_START_FAST_MS ?? 250,
      waitAhead: vars.INTAKE_START_WAIT_AHEAD ?? 0,
    },
  };
}

/** Variables whose values are never echoed in a configuration error. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['JWT_SECRET', 'AUTH_ADMIN_PASSWORD', 'TEMPORAL_API_KEY']);

/** The variable names Shaosheng reads; anything else in the environment is ignored. */
const ENV_KEYS: readonly (keyof EnvironmentVariables)[] = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
  'TEMPORAL_CALL_TIMEOUT_MS',
  'WORKER_METRICS_ADDRESS',
  'DATA_DIR',
  'EMBEDDED_POSTGRES_PORT',
  'EMBEDDED_TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'EMBEDDED_WORKER',
  'LOG_LEVEL',
  'JWT_SECRET',
  'AUTH_TOKEN_TTL_SECONDS',
  'AUTH_DEMO_USERS',
  'AUTH_ADMIN_PASSWORD',
  'LOGIN_RATE_LIMIT',
  'LOGIN_RATE_WINDOW_SECONDS',
  'INTAKE_RATE_LIMIT',
  'INTAKE_RATE_WINDOW_SECONDS',
  'NOTIFICATIONS_POLL_INTERVAL_MS',
  'DATABASE_POOL_MAX',
  'INTAKE_START_CONCURRENCY',
  'INTAKE_QUEUE_LIMIT',
  'INTAKE_START_WAIT_MS',
  'INTAKE_START_FAST_MS',
  'INTAKE_START_WAIT_AHEAD',
];
