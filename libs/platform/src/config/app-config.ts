import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

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
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
}

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
  };
  embedded: { dataDir: string; postgresPort: number; temporalPort: number; temporalUiPort: number };
  logLevel: string;
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
        return `${error.property}=${JSON.stringify(known[error.property])}: ${rules}`;
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
    },
    embedded: {
      dataDir: vars.DATA_DIR ?? '.data',
      postgresPort: vars.EMBEDDED_POSTGRES_PORT ?? 5433,
      temporalPort: vars.EMBEDDED_TEMPORAL_PORT ?? 7233,
      temporalUiPort: vars.TEMPORAL_UI_PORT ?? 8233,
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
  };
}

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
  'DATA_DIR',
  'EMBEDDED_POSTGRES_PORT',
  'EMBEDDED_TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'LOG_LEVEL',
];
