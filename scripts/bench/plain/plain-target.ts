/*
 * The plain Temporal baseline as a lifecycle target: its worker runs in a child process of its own
 * (scripts/bench/plain/worker.ts) on the same server; createCase starts the workflow, each step is one Update
 * (executeUpdate: it answers when the Update's handler has run, as the product's HTTP action does).
 */
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LifecycleStep, LifecycleTarget } from '../target';
import { plainCase, PlainCaseInput, plainStepUpdates } from './workflows';

export class PlainTemporalTarget implements LifecycleTarget {
  readonly name = 'plain Temporal';
  readonly taskQueue = `bench-plain-${randomUUID().slice(0, 8)}`;
  private connection?: Connection;
  private client?: Client;
  worker?: ChildProcess;
  private readonly handles = new Map<string, WorkflowHandle>();

  constructor(
    private readonly address: string,
    public input: PlainCaseInput,
  ) {}

  async start(): Promise<void> {
    const worker = spawn(process.execPath, [join(__dirname, 'worker.js')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_TEMPORAL_ADDRESS: this.address, BENCH_TASK_QUEUE: this.taskQueue },
    });
    this.worker = worker;
    await new Promise<void>((ready, failed) => {
      worker.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
      worker.once('exit', (code) => failed(new Error(`the plain worker exited with ${code}`)));
    });
    this.connection = await Connection.connect({ address: this.address });
    this.client = new Client({ connection: this.connection, namespace: 'default' });
  }

  async stop(): Promise<void> {
    await this.connection?.close();
    if (this.worker && this.worker.exitCode === null) {
      const exited = new Promise((done) => this.worker?.once('exit', done));
      this.worker.kill('SIGTERM');
      await exited;
    }
  }

  async createCase(i: number): Promise<string> {
    const id = `plain-${this.taskQueue}-${i}`;
    const handle = await this.client!.workflow.start(plainCase, {
      workflowId: id,
      taskQueue: this.taskQueue,
      args: [this.input],
    });
    this.handles.set(id, handle);
    return id;
  }

  async act(caseId: string, step: LifecycleStep): Promise<void> {
    await this.handles.get(caseId)!.executeUpdate(plainStepUpdates[step]);
  }

  /** The client, for reading histories after the run. */
  temporal(): Client {
    return this.client!;
  }
}
