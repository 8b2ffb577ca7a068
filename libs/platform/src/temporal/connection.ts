import { Connection, ConnectionOptions } from '@temporalio/client';
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

/** A client connection (API, admin tasks) to the configured cluster, with TLS or an API key when configured. */
export function connectClient(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect({ address: settings.address, tls: tlsOptions(settings), apiKey: settings.apiKey });
}

/** A worker connection to the configured cluster. */
export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.address, tls: tlsOptions(settings), apiKey: settings.apiKey });
}
