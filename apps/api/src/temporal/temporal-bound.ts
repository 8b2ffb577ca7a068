import { Client, ServiceError } from '@temporalio/client';

/**
 * Thrown when Temporal (the server, or the worker an Update waits on) did not answer within the API's bound. Whether
 * the call took effect is unknown: an Update may still be applied once its worker returns.
 */
export class TemporalTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly boundMs: number,
  ) {
    super(`${what}: Temporal did not answer within ${boundMs} ms`);
    this.name = 'TemporalTimeoutError';
  }
}

/**
 * The longest any request waits for Temporal. Every call runs under an abort signal that fires at the bound (the
 * SDK's own retry loops, which poll an Update until its worker answers, stop there), raced with a timer so that no
 * code path of the SDK can keep the request past it.
 */
export class TemporalBound {
  /** SDK calls still running, including those whose request the bound already answered (see {@link settled}). */
  private readonly pending = new Set<Promise<unknown>>();
  /**
   * When the bound last aborted a call, or a call last failed (ms since the epoch): a gRPC retry timer of it may still
   * be pending.
   */
  private lastAbortAt = 0;

  constructor(
    private readonly client: Client,
    /** The bound, in milliseconds. */
    readonly ms: number,
  ) {}

  /**
   * Runs `call` against Temporal within `ms` (default: the bound).
   * @throws TemporalTimeoutError when the bound passes first; otherwise whatever `call` throws.
   */
  async run<T>(what: string, call: () => Promise<T>, ms: number = this.ms): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.lastAbortAt = Date.now();
        controller.abort();
        reject(new TemporalTimeoutError(what, ms));
      }, ms);
    });
    const running = this.client.withAbortSignal(controller.signal, call);
    // The call's own rejection after the bound (CANCELLED) is expected and nobody waits for it.
    const tracked = running.catch((error: unknown) => {
      // A call the server did not answer may have gRPC retries of its own still scheduled (an answer, such as a
      // refused Update, has none).
      if (error instanceof ServiceError || isTemporalUnreachable(error)) this.lastAbortAt = Date.now();
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    try {
      return await Promise.race([running, expired]);
    } catch (error) {
      // An abort surfaces from the SDK as a cancelled gRPC call: the bound passed.
      if (controller.signal.aborted) throw new TemporalTimeoutError(what, ms);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Waits, at most `maxMs`, for the SDK calls still running, and for the retry timer of the last call the bound
   * aborted: an aborted call's promise rejects at once, but a gRPC retry it had already scheduled (up to
   * {@link GRPC_RETRY_TIMER_MS} later) still fires, and it must not find the connection closed (it throws outside any
   * caller). A call still running may be aborted by its bound while this waits: its retry timer is waited for too.
   * Called before the connection closes.
   */
  async settled(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    const retryTimerLeft = () => Math.max(0, this.lastAbortAt + GRPC_RETRY_TIMER_MS - Date.now());
    if (this.pending.size === 0 && retryTimerLeft() === 0) return;
    const waitAtMost = (ms: number, what: Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
      return Promise.race([what, cap]).finally(() => clearTimeout(timer));
    };
    await waitAtMost(deadline - Date.now(), Promise.allSettled([...this.pending]));
    const left = Math.min(retryTimerLeft(), deadline - Date.now());
    if (left > 0) await new Promise<void>((resolve) => setTimeout(resolve, left));
  }
}

/** The longest a gRPC retry of the SDK waits before it fires (its 5 s interval cap plus 20 % jitter). */
export const GRPC_RETRY_TIMER_MS = 6_000;

/**
 * How long the API waits at shutdown for SDK calls to settle beyond the bound: a call still running is aborted at its
 * bound, then one gRPC retry interval at most may follow.
 */
export const SETTLE_AFTER_BOUND_MS = 6_500;

/** gRPC statuses that mean "Temporal could not be reached in time": CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const UNREACHABLE_GRPC_CODES: ReadonlySet<number> = new Set([1, 4, 14]);

/**
 * True when `error` (or an error it wraps, as the SDK's `ServiceError` does) says Temporal could not be reached or
 * did not answer in time, as opposed to a refusal by the workflow.
 */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof TemporalTimeoutError) return true;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'number' && UNREACHABLE_GRPC_CODES.has(code)) return true;
    if (typeof message === 'string' && /\b(UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED)\b|connect/.test(message)) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
