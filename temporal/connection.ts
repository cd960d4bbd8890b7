// How every process reaches Temporal: one place turns configuration into connection options, so the API,
// the worker and the scripts connect to a cluster the same way (namespace, TLS, API key).
import { readFileSync } from 'node:fs';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config/env';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export function clusterTarget(config: Config): TemporalTarget | undefined {
  if (config.TEMPORAL_ADDRESS === undefined) return undefined;
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path));
  const crt = read(config.TEMPORAL_TLS_CERT_PATH);
  const key = read(config.TEMPORAL_TLS_KEY_PATH);
  const ca = read(config.TEMPORAL_TLS_CA_PATH);
  const tlsWanted = config.TEMPORAL_TLS || crt !== undefined || ca !== undefined || config.TEMPORAL_API_KEY !== undefined;
  const tls: TLSConfig = {
    ...(config.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME }),
    ...(ca && { serverRootCACertificate: ca }),
    ...(crt && key && { clientCertPair: { crt, key } }),
  };
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    ...(tlsWanted && { tls: Object.keys(tls).length > 0 ? tls : true }),
    ...(config.TEMPORAL_API_KEY && { apiKey: config.TEMPORAL_API_KEY }),
  };
}

/** The target when the service runs against the embedded dev server on this machine. */
export function devServerTarget(config: Config): TemporalTarget {
  return { address: `127.0.0.1:${config.TEMPORAL_DEV_PORT}`, namespace: config.TEMPORAL_NAMESPACE };
}

/** Where to connect: the configured cluster, or the dev server that `npm start` runs. */
export function temporalTarget(config: Config): TemporalTarget {
  return clusterTarget(config) ?? devServerTarget(config);
}

export function connectionOptions(target: Pick<TemporalTarget, 'address' | 'tls' | 'apiKey'>) {
  return {
    address: target.address,
    ...(target.tls !== undefined && { tls: target.tls }),
    ...(target.apiKey !== undefined && { apiKey: target.apiKey }),
  };
}

/** Temporal's answer when a query arrives while the workflow's task is in flight and its one-query buffer
 *  (history.MaxBufferedQueryCount, 1 by default) is taken: RESOURCE_EXHAUSTED, and the workflow is only busy
 *  for the few milliseconds its task takes. */
const BUSY_QUERY = /consistent query buffer is full/;
const RESOURCE_EXHAUSTED = 8; // gRPC status code

/**
 * The client's gRPC retries: the SDK's, except that a query refused because the workflow's query buffer is
 * taken is asked again within tens of milliseconds (34, 58, 98 ms…). The SDK waits a second or more before
 * retrying any RESOURCE_EXHAUSTED, which is right for an overloaded server but turned a project's read right
 * after an action (the window applying for design just after registering) into a 1.5–2 s wait.
 */
export function clientRetryOptions(): GrpcRetryOptions {
  const sdk = defaultGrpcRetryOptions();
  return {
    ...sdk,
    delayFunction: (attempt, status) =>
      status.code === RESOURCE_EXHAUSTED && BUSY_QUERY.test(status.details) ? Math.min(1_000, 20 * 1.7 ** attempt) : sdk.delayFunction(attempt, status),
  };
}

/** Options for a client Connection (the API, scripts): the target's, with the retries above. During an
 *  outage gRPC waits longer and longer between its attempts to reconnect (up to two minutes by default):
 *  after Temporal had been away 20 s, the API's first request once it was back took 13 s (3 s with this),
 *  and a longer outage would have kept answering 503 for up to two minutes more. */
export function clientConnectionOptions(target: Pick<TemporalTarget, 'address' | 'tls' | 'apiKey'>) {
  return { ...connectionOptions(target), interceptors: [makeGrpcRetryInterceptor(clientRetryOptions())], channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000 } };
}
