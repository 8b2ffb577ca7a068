import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig, connectClient } from '../../../../libs/platform/src';

/** Where the API's cases run: the namespace and task queue of the case workers. */
@Injectable()
export class TemporalSettings {
  constructor(
    readonly namespace: string,
    readonly taskQueue: string,
  ) {}
}

/** Closes the client connection when the application stops. */
@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The Temporal client of the API, connected once at boot. */
@Module({})
export class TemporalModule {
  static forRoot(temporal: AppConfig['temporal'] & { address: string }): DynamicModule {
    return {
      module: TemporalModule,
      global: true,
      providers: [
        { provide: Connection, useFactory: () => connectClient(temporal) },
        {
          provide: Client,
          useFactory: (connection: Connection) => new Client({ connection, namespace: temporal.namespace }),
          inject: [Connection],
        },
        { provide: TemporalSettings, useValue: new TemporalSettings(temporal.namespace, temporal.taskQueue) },
        ConnectionCloser,
      ],
      exports: [Client, Connection, TemporalSettings],
    };
  }
}
