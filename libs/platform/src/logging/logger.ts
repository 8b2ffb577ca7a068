import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { Logger } from 'pino';

/** Structured JSON logs on stdout, one object a line; `LOG_LEVEL` sets the threshold. */
export function createLogger(level: string, name = 'shaosheng'): Logger {
  return pino({
    name,
    level,
    // Never log what a citizen submitted: request bodies are not logged, and these fields are masked wherever
    // they appear in a logged object.
    redact: { paths: ['*.citizen', '*.citizenName', '*.citizenPhone', 'req.headers.authorization'], censor: '***' },
  });
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's logs (worker, workflow and activity loggers) into the same JSON stream. */
export class TemporalLogAdapter implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[PINO_LEVEL[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
