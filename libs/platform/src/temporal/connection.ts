import { Connection, ConnectionOptions, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';

type TemporalSettings = AppConfig['temporal'] & { address: string };

function tlsOptions(settings: TemporalSettings): ConnectionOptions['tls'] {
  const tls = settings.tls;
  if (!tls) return undefined;
  if (Boolean(tls.certPath) !== Boolean(tls.keyPath)) {
    throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS client certificate)');
  }
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
    clientCertPair:
      tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
  };
}

/**
 * gRPC settings of a client connection that must answer within a bound (the API's requests): a refused call is
 * retried at most 4 times (about 1 s in all, instead of the SDK's 10 times over about 20 s), and a channel that lost
 * the server tries again at least every 2 s (gRPC's default backs off to 2 minutes, so requests kept failing for
 * tens of seconds after Temporal was back).
 */
export const BOUNDED_CLIENT_GRPC: Pick<ConnectionOptions, 'channelArgs' | 'interceptors'> = {
  channelArgs: { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 2_000 },
  interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
};

/**
 * A client connection (API, admin tasks) to the configured cluster, with TLS or an API key when configured.
 * With `lazy`, the connection is made at the first call, so the caller starts while Temporal is down (the API does:
 * it stores submissions meanwhile).
 */
export async function connectClient(settings: TemporalSettings, options: { lazy?: boolean } = {}): Promise<Connection> {
  const connectionOptions: ConnectionOptions = {
    address: settings.address,
    tls: tlsOptions(settings),
    apiKey: settings.apiKey,
    ...BOUNDED_CLIENT_GRPC,
  };
  return options.lazy ? Connection.lazy(connectionOptions) : Connection.connect(connectionOptions);
}

/** A worker connection to the configured cluster. */
export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.address, tls: tlsOptions(settings), apiKey: settings.apiKey });
}
