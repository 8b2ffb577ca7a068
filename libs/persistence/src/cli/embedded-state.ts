import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../../platform/src';

/**
 * What a running `npm start` tells the CLIs about itself, in `<DATA_DIR>/embedded.json` (mode 0600: it holds the
 * embedded PostgreSQL's URL and password). Written once everything is up, removed on a clean stop; a file left by a
 * killed process is ignored because its pid no longer runs.
 */
export interface EmbeddedState {
  pid: number;
  startedAt: string;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  api: string;
}

/** `<dataDir>/embedded.json`. */
export const embeddedStateFile = (dataDir: string): string => join(dataDir, 'embedded.json');

/** Writes the state atomically (temporary file, then rename), readable by the owner only. */
export function writeEmbeddedState(dataDir: string, state: EmbeddedState): void {
  const file = embeddedStateFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Removes the state file if it is this process's (another `npm start` on the same folder may have replaced it). */
export function removeEmbeddedState(dataDir: string, pid: number = process.pid): void {
  if (readEmbeddedState(dataDir, () => true)?.pid === pid) rmSync(embeddedStateFile(dataDir), { force: true });
}

/**
 * The state of the `npm start` running on `dataDir`, or undefined when there is none: no file, an unreadable one,
 * or one whose process has ended.
 */
export function readEmbeddedState(
  dataDir: string,
  alive: (pid: number) => boolean = processRuns,
): EmbeddedState | undefined {
  const file = embeddedStateFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedState;
    return Number.isInteger(state.pid) && typeof state.databaseUrl === 'string' && alive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The CLIs' configuration: {@link loadConfig}, and when DATABASE_URL (and TEMPORAL_ADDRESS) are unset, those of the
 * `npm start` running on DATA_DIR (default `.data/`), so `npm run audit:verify` and the others work beside it with
 * nothing to set. `note` hears which one was taken.
 */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env, note?: (message: string) => void): AppConfig {
  const config = loadConfig(env);
  if (config.databaseUrl) return config;
  const state = readEmbeddedState(config.embedded.dataDir);
  if (!state) return config;
  note?.(`using the database of npm start (pid ${state.pid}, ${embeddedStateFile(config.embedded.dataDir)})`);
  return {
    ...config,
    databaseUrl: state.databaseUrl,
    temporal: {
      ...config.temporal,
      address: config.temporal.address ?? state.temporalAddress,
      namespace: env.TEMPORAL_NAMESPACE ? config.temporal.namespace : state.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE ? config.temporal.taskQueue : state.taskQueue,
    },
  };
}
