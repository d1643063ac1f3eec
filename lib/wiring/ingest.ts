import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig, requireKey } from '../config';
import { fromApiGateway } from '../http/request';
import { routedDestinations } from '../ingest/destinations';
import { createIngest, type IngestDeps } from '../ingest/handle-webhook';
import { createLog } from '../log';
import { type Counters, cloudWatchCounters, noCounters } from '../metrics';
import { gatheredOutput, type Output } from '../output';
import { createEnqueue, withDryRunWhenOffline } from '../queue/enqueue';
import { defaultEnqueueRetry } from '../queue/retry';
import { loadRouting } from '../routing/load';
import type { RoutingConfig } from '../routing/schema';
import type { SourceAdapter } from '../sources/source';
import { type Env, secretSourceFor, sqsClientFor } from './aws';

/**
 * One ingest function's dependencies: its own source only, so its bundle carries no other source's code.
 * `routing` defaults to the file in use; the local stack passes the one it already loaded.
 */
export const ingestDeps = (
  source: SourceAdapter,
  env: Env = process.env,
  routing: RoutingConfig = loadRouting(env).config,
): IngestDeps => {
  const config = loadConfig(env);
  // in AWS an invocation's log and metrics lines leave in one write when it ends (the ingest flushes its
  // counters last); a local run writes each line at once, and the local stack brings its own log and counters
  const output = config.local ? undefined : gatheredOutput();
  const log = createLog(`vigil-${source.name}`, env, output);
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  // the SDK's own retries are off: createEnqueue retries throttling within a budget that GitHub's 10 s allow
  const enqueue = createEnqueue(
    sqsClientFor(config, queueUrl, { maxAttempts: 1 }),
    queueUrl,
    defaultEnqueueRetry(config.enqueueBudgetMs),
  );
  return {
    source,
    secrets: secretSourceFor(config, env, source.developmentSecrets),
    destinations: routedDestinations({ config: routing, previewWhenUnset: config.local }),
    enqueue: config.local ? withDryRunWhenOffline(enqueue, log) : enqueue,
    maxBodyBytes: config.maxBodyBytes,
    timestampToleranceSeconds: config.timestampToleranceSeconds,
    now: () => new Date(),
    log,
    counters:
      output === undefined
        ? noCounters
        : flushingOutput(cloudWatchCounters(`vigil-${source.name}`, env, output.line), output),
  };
};

/** Counters whose flush, the ingest's last step, also writes the invocation's gathered lines. */
const flushingOutput = (counters: Counters, output: Output): Counters => ({
  count: (name, source, value) => counters.count(name, source, value),
  flush() {
    counters.flush();
    output.flush();
  },
});

/** A source's Lambda handler: API Gateway event in, HTTP result out. */
export const webhookHandler = (source: SourceAdapter, deps: IngestDeps = ingestDeps(source)) => {
  const ingest = createIngest(deps);
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
    ingest(fromApiGateway(event));
};
