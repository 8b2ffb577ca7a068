import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';

/** How to start one process of the stack and tell when it is ready. */
export interface ProcessSpec {
  /** Short name, also the log file's name (`<logDir>/<name>.log`). */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this OS user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /**
   * Whether the process serves yet, given what it printed since it was started (the last 16 KB). Polled by
   * {@link ManagedProcess.start}.
   */
  ready: (output: string) => Promise<boolean>;
  /** How long a start may take before it counts as failed, in ms. Default 120 000. */
  readyTimeoutMs?: number;
}

/**
 * One process of the stack under supervision, in a process group of its own so that a kill takes its children too
 * (PostgreSQL's backends, the dev server's helpers). A process that exits while it should run (a crash, not one of
 * our kills) is started again after a second, as a service manager would; each such restart is counted.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private wanted = false;
  private log: WriteStream;
  /** What the current child printed since it started (the last 16 KB). */
  private output = '';
  /** Starts after an unexpected exit, by the supervisor itself. */
  crashRestarts = 0;
  /** SIGKILLs sent by the fault injector. */
  kills = 0;
  /** When the process last served again after a start, or was last respawned after a crash (ms since epoch). */
  lastStartedAt?: number;

  constructor(
    readonly spec: ProcessSpec,
    logFile: string,
    private readonly note: (message: string) => void = () => undefined,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until `spec.ready()` answers true. */
  async start(): Promise<void> {
    this.wanted = true;
    this.spawnChild();
    await this.waitReady();
    this.lastStartedAt = Date.now();
  }

  /** SIGKILL to the whole process group, then waits for the exit; the process stays down until {@link start}. */
  async kill(): Promise<void> {
    this.wanted = false;
    this.kills += 1;
    await this.signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; for the end of the run. */
  async stop(graceMs = 10_000): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.groupKill(child, 'SIGTERM');
    const timer = setTimeout(() => this.groupKill(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    this.log.end();
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.groupKill(child, signal);
    await exited;
    this.write(`--- ${signal} ${new Date().toISOString()} ---\n`);
  }

  private groupKill(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal); // the group is gone already; the leader may not be
    }
  }

  private spawnChild(): void {
    const { spec } = this;
    this.write(`--- start ${new Date().toISOString()}: ${spec.command} ${spec.args.join(' ')} ---\n`);
    const options: SpawnOptions = {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true, // a process group of its own: a kill reaches its children, and Ctrl-C on us does not reach it
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid } : {}),
    };
    const child = spawn(spec.command, spec.args, options);
    this.child = child;
    this.output = '';
    const take = (chunk: Buffer) => {
      if (this.child === child) this.output = (this.output + chunk.toString()).slice(-16_384);
      this.write(chunk);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', (code, signal) => {
      this.write(`--- exit ${new Date().toISOString()}: code ${code} signal ${signal} ---\n`);
      if (this.child !== child || !this.wanted) return;
      this.crashRestarts += 1;
      this.note(`${spec.name} exited on its own (code ${code}, signal ${signal}); restarting it`);
      setTimeout(() => {
        if (!this.wanted || this.child !== child) return;
        this.spawnChild();
        this.lastStartedAt = Date.now();
      }, 1000);
    });
    child.once('error', (error) => this.write(`--- spawn error: ${error.message} ---\n`));
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 120_000);
    for (;;) {
      if (this.running && (await this.spec.ready(this.output).catch(() => false))) return;
      if (Date.now() > deadline) throw new Error(`${this.spec.name} was not ready in time (see its log)`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private write(chunk: Buffer | string): void {
    if (!this.log.writableEnded) this.log.write(chunk);
  }

  /** Closes the log without touching the process (it must already be down). */
  close(): void {
    if (!this.log.writableEnded) this.log.end();
  }
}
