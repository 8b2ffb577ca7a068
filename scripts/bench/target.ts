/*
 * The lifecycle benchmark's pluggable target (npm run bench:lifecycle). A target runs one complaint through
 * create → sign → contact → reply → review → call-back → closed, one call per step; the driver times each call and
 * counts cases per second at a given concurrency. Shaosheng over HTTP, a plain Temporal workflow with the same
 * Updates, and peers such as Flowable each implement it.
 */

/** The human steps of the happy path, in order, after the case is created. */
export type LifecycleStep = 'sign' | 'contact' | 'reply' | 'review' | 'callback';

export const LIFECYCLE_STEPS: readonly LifecycleStep[] = ['sign', 'contact', 'reply', 'review', 'callback'];

export interface LifecycleTarget {
  /** Short label printed in the results table. */
  name: string;
  /** Brings up whatever the target needs (workers, engines, connections); called once before any case. */
  start(): Promise<void>;
  /** Releases everything start() brought up. */
  stop(): Promise<void>;
  /** Creates case number i (0-based, unique within a run) and answers its id for act(). */
  createCase(i: number): Promise<string>;
  /** Performs one step on the case and resolves once the step is accepted (the next step may follow at once). */
  act(caseId: string, step: LifecycleStep): Promise<void>;
}
