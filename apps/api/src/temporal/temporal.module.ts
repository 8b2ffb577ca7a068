import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig, connectClient, DEFAULT_TEMPORAL_CALL_TIMEOUT_MS } from '../../../../libs/platform/src';
import { workflowClientTracingInterceptors } from '../../../../libs/platform/src/tracing';
import { SETTLE_AFTER_BOUND_MS, TemporalBound } from './temporal-bound';

/** Where the API's cases run: the namespace and task queue of the case workers. */
@Injectable()
export class TemporalSettings {
  constructor(
    readonly namespace: string,
    readonly taskQueue: string,
  ) {}
}

/** Closes the client connection when the application stops, once the calls still running have settled. */
@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(Connection) private readonly connection: Connection,
    private readonly bound: TemporalBound,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bound.settled(this.bound.ms + SETTLE_AFTER_BOUND_MS);
    await this.connection.close();
  }
}

/**
 * The Temporal client of the API. The connection is lazy (the API starts, and stores submissions, while Temporal is
 * down) and every request's calls run within {@link TemporalBound}.
 */
@Module({})
export class TemporalModule {
  static forRoot(temporal: AppConfig['temporal'] & { address: string }): DynamicModule {
    return {
      module: TemporalModule,
      global: true,
      providers: [
        { provide: Connection, useFactory: () => connectClient(temporal, { lazy: true }) },
        {
          provide: Client,
          // While traces are exported, each start, Update, signal and Query carries the request's span to the workflow.
          useFactory: (connection: Connection) =>
            new Client({
              connection,
              namespace: temporal.namespace,
              interceptors: { workflow: workflowClientTracingInterceptors() },
            }),
          inject: [Connection],
        },
        {
          provide: TemporalBound,
          useFactory: (client: Client) =>
            new TemporalBound(client, temporal.callTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS),
          inject: [Client],
        },
        { provide: TemporalSettings, useValue: new TemporalSettings(temporal.namespace, temporal.taskQueue) },
        ConnectionCloser,
      ],
      exports: [Client, Connection, TemporalSettings, TemporalBound],
    };
  }
}
