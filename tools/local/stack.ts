import type { Server } from 'node:http';
import { channelUrlProblems } from '../../lib/channels';
import { loadConfig } from '../../lib/config';
import { json } from '../../lib/http/response';
import { createLog, type Log } from '../../lib/log';
import { memoryCounters } from '../../lib/metrics';
import { runTicks } from '../../lib/outbox/ticker';
import { readWaiting } from '../../lib/outbox/waiting';
import { tickSender } from '../../lib/queue/tick';
import { loadRouting, routingFilePath } from '../../lib/routing/load';
import { type RedeliverReport, runRedelivery } from '../../lib/sources/github/redeliver/run';
import { sourceList } from '../../lib/sources/registry';
import type { OutboxStore } from '../../lib/state/outbox-store';
import type { StateStore } from '../../lib/state/store';
import { LOCAL_STATE_TABLE } from '../../lib/state/table';
import { dynamoClientFor } from '../../lib/wiring/aws';
import { ingestDeps, webhookHandler } from '../../lib/wiring/ingest';
import { redeliverDeps } from '../../lib/wiring/redeliver';
import { engineDeps, senderDeps } from '../../lib/wiring/sender';
import { queueDepth } from '../sqs/queue-attributes';
import { Activity } from './console/activity';
import { guarded } from './console/guard';
import { observedSenderHandler, observeIngest } from './console/observe';
import { consoleRoutes } from './console/routes';
import { type LocalState, startLocalState } from './dynamo-server';
import { connectExternalState, shownEndpoint } from './external-state';
import { FifoEventSource } from './fifo-event-source';
import { gatewayThrottle, routeThrottles } from './gateway-throttle';
import { startHttpServer } from './http-server';
import { listenError, portFrom } from './ports';
import { type ChannelMode, type Preview, PreviewCliq } from './preview-cliq';
import { type LocalQueues, startLocalQueues } from './sqs-server';
import { lockStateDir } from './state-lock';
import type { BucketLimits } from './token-bucket';

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalStackOptions {
  readonly env?: Env;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  readonly sqsPort?: number;
  /**
   * The embedded DynamoDB's port: DYNAMODB_PORT or 8000; 0 (a free port) when `sqsPort` is 0. With
   * DYNAMODB_ENDPOINT set nothing is embedded: the stack uses that server.
   */
  readonly dynamodbPort?: number;
  /**
   * Where the state table persists. Default: VIGIL_STATE_DIR, else `.vigil/state`, for the CLI; when the
   * caller passes its own `env` (tests), only that env's VIGIL_STATE_DIR, else memory, so stacks never share.
   */
  readonly stateDir?: string;
  readonly host?: string;
  readonly log?: Log;
  /**
   * How often the schedule's tick runs (serverless.yml: `rate(1 minute)`); tests shorten it to see a
   * hold end or a lock lift without waiting a minute.
   */
  readonly tickMs?: number;
  /**
   * How often GitHub's failed deliveries are redelivered (serverless.yml: `rate(5 minutes)`), when the routing
   * file names hooks and GITHUB_API_TOKEN is set; GITHUB_API_URL points it at a stand-in.
   */
  readonly redeliverMs?: number;
  /** Print previews to stdout as well as keeping them (the CLI does; tests need not). */
  readonly printPreviews?: boolean;
  /**
   * API Gateway's throttle in front of every webhook route. Default: production's, as serverless.yml
   * resolves it (VIGIL_THROTTLE_RATE / VIGIL_THROTTLE_BURST, else serverless/throttle.json).
   */
  readonly throttle?: BucketLimits;
  /** The events queue's quota on send calls a second (default: its mode's, tools/local/sqs-throttle.ts). */
  readonly sendCallsPerSecond?: number;
  /**
   * false leaves the queue to the caller: no sender receives from it (the burst bench counts what reached
   * the queue). Default true.
   */
  readonly consume?: boolean;
  /**
   * The clock routing's holds, the sender, the outbox and the tick read (epoch ms). Tests only: one that
   * runs ahead lets an hour's digest period or a hold window end in a second. Default Date.now.
   */
  readonly now?: () => number;
}

export type { Preview };

export interface LocalStack {
  readonly url: string;
  readonly queues: LocalQueues;
  /** The DynamoDB server (embedded, or DYNAMODB_ENDPOINT's) and the sender's store over it. */
  readonly state: LocalState & { readonly store: StateStore; readonly outbox: OutboxStore };
  /** Runs the schedule's tick now (as the timer does every `tickMs`); the owners ticked. */
  tick(): Promise<string[]>;
  /** Runs the GitHub redelivery job now (as its timer does every `redeliverMs` when hooks and a token are set). */
  redeliver(): Promise<RedeliverReport>;
  /** What the built-in Cliq stand-in accepted for the channels that preview, in order. */
  readonly previews: Preview[];
  /** `preview` (no channel has a URL), `delivering` (every one has), or `mixed`. */
  readonly mode: 'preview' | 'delivering' | 'mixed';
  /** Each routed channel, and whether it previews or delivers. */
  readonly channels: Readonly<Record<string, ChannelMode>>;
  /** Where each delivering channel goes: host and channel name, never the key. */
  readonly targets: Readonly<Record<string, string>>;
  waitForIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** waitForIdle waits for outbox events due within this long (backoffs, locks), not for hours-long holds. */
const SOON_MS = 30_000;

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * The whole pipeline on one machine: API Gateway's routes over HTTP, the embedded SQS server with the
 * production queues, the real ingest handlers, and the real sender fed by a FIFO event source.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const baseEnv = options.env ?? process.env;
  const host = options.host ?? '127.0.0.1';
  const config = loadConfig({ ...baseEnv, VIGIL_LOCAL: 'true' });
  // an invalid routing file stops the stack before anything starts, naming its file, line and field
  const routing = loadRouting(baseEnv).config;
  // so does a Cliq URL that could never be posted to, instead of a stack that accepts what it cannot deliver
  const badUrls = channelUrlProblems(baseEnv);
  if (badUrls.length > 0)
    throw new Error(
      badUrls.length === 1 ? (badUrls[0] as string) : `Cliq URLs to fix:\n  ${badUrls.join('\n  ')}`,
    );
  const sqsPort = options.sqsPort ?? portFrom(baseEnv, 'SQS_PORT', 9324);
  const httpPort = options.port ?? portFrom(baseEnv, 'PORT', 3000);
  const dynamodbPort = options.dynamodbPort ?? (sqsPort === 0 ? 0 : config.dynamodbPort);
  const stateDir =
    options.stateDir ?? (options.env === undefined ? config.stateDir : baseEnv.VIGIL_STATE_DIR);
  // one stack per state directory: a second one says who has it, before LevelDB fails on its lock
  const unlock = config.externalDynamodb || stateDir === undefined ? () => {} : lockStateDir(stateDir);
  // the queue's visibility timeout and redrive count are production's (serverless/queue.json)
  // read before anything starts, so a bad VIGIL_THROTTLE_RATE stops the stack naming the variable
  const throttleOf = routeThrottles(options.throttle ?? gatewayThrottle(baseEnv));
  const queues = await startLocalQueues({
    port: sqsPort,
    host,
    ...(options.sendCallsPerSecond === undefined ? {} : { sendCallsPerSecond: options.sendCallsPerSecond }),
  }).catch((error: unknown) => {
    unlock();
    throw listenError(error, 'SQS_PORT', host, sqsPort);
  });
  const state = await (config.externalDynamodb
    ? connectExternalState({
        endpoint: config.dynamodbEndpoint,
        // signs as the sender's client does; a server that never answers fails the start instead of hanging it
        client: dynamoClientFor(config, {
          requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
        }),
        tableName: LOCAL_STATE_TABLE,
      })
    : startLocalState({ port: dynamodbPort, host, tableName: LOCAL_STATE_TABLE, dir: stateDir }).catch(
        (error: unknown) => {
          throw listenError(error, 'DYNAMODB_PORT', host, dynamodbPort);
        },
      )
  ).catch(async (error: unknown) => {
    queues.client.destroy();
    await close(queues.server);
    unlock();
    throw error;
  });
  // channels without a URL post to a built-in Cliq stand-in: the whole pipeline runs, state and all
  const preview = await PreviewCliq.start(routing, baseEnv, options.printPreviews === true);
  const env: Env = {
    ...baseEnv,
    ...preview.env(),
    VIGIL_LOCAL: 'true',
    QUEUE_URL: queues.queueUrl,
    DLQ_URL: queues.dlqUrl,
    STATE_TABLE: state.tableName,
    DYNAMODB_ENDPOINT: state.endpoint,
  };
  const log = options.log ?? createLog('vigil-local');

  const now = options.now ?? Date.now;
  const counters = memoryCounters();
  const activity = new Activity();
  const sender = senderDeps(env, routing);
  const store = sender.state;
  if (store === undefined) throw new Error('the sender has no state store (STATE_TABLE)');
  const engine = engineDeps(env);
  const outbox = engine.store;
  const tick = () =>
    runTicks({ store: outbox, tick: tickSender(queues.client, queues.queueUrl, true), log, now });
  /** Whether an outbox has events that go out soon (a retry's backoff, a lock); a long hold is not. */
  const dueSoon = async () => {
    for await (const waiting of outbox.waitingOwners()) if (waiting.dueAt <= now() + SOON_MS) return true;
    return false;
  };
  const senderHandler = observedSenderHandler(
    activity,
    engine,
    (channel) => preview.channels[channel] === 'preview',
  )({
    ...sender,
    now,
    counters,
    log: preview.watch(log),
  });
  const eventSource = new FifoEventSource({
    client: queues.client,
    queueUrl: queues.queueUrl,
    queueArn: queues.queueArn,
    handler: senderHandler,
    log,
  });
  const mode = preview.mode;

  /** What waits in each owner's outbox, and why (the console's Waiting tab, and `/health`'s counts). */
  const waiting = () => readWaiting(outbox, now(), (owner) => sender.pacer?.lockedFor(owner) ?? 0);
  const health = async () => {
    const [queue, dlq, owners] = await Promise.all([
      queueDepth(queues.client, queues.queueUrl),
      queueDepth(queues.client, queues.dlqUrl),
      waiting(),
    ]);
    return json(200, {
      status: 'ok',
      mode,
      channels: preview.channels,
      queue,
      dlq: { depth: dlq.visible + dlq.inFlight },
      locks: sender.pacer?.locks() ?? {},
      outbox: Object.fromEntries(
        owners.map((owner) => [
          owner.owner,
          { waiting: owner.waiting, due_at: owner.dueAt, reason: owner.reason },
        ]),
      ),
      dynamodb: { server: state.kind, endpoint: shownEndpoint(state.endpoint), table: state.tableName },
      counters: counters.snapshot(),
    });
  };
  const http = await startHttpServer({
    host,
    port: httpPort,
    maxBodyBytes: config.maxBodyBytes,
    routes: [
      { path: '/health', method: 'GET', handler: guarded(false, health) },
      // every formatted card: a page that re-points its own name at 127.0.0.1 may not read them
      {
        path: '/previews',
        method: 'GET',
        handler: guarded(false, async () => json(200, { previews: preview.previews })),
      },
      ...consoleRoutes({
        activity,
        queues,
        routing,
        routingFile: routingFilePath(baseEnv),
        mode,
        channels: preview.channels,
        health,
        waiting,
      }),
      ...sourceList().map((source) => ({
        path: source.route,
        method: 'ANY' as const,
        throttle: throttleOf(source.route),
        handler: webhookHandler(
          source,
          observeIngest(
            { ...ingestDeps(source, env, routing), log, counters, now: () => new Date(now()) },
            activity,
            routing,
          ),
        ),
      })),
    ],
  }).catch(async (error: unknown) => {
    queues.client.destroy();
    await close(queues.server);
    await state.stop();
    await preview.stop();
    unlock();
    throw listenError(error, 'PORT', host, httpPort);
  });
  const redelivery = redeliverDeps(env, routing, { log, counters });
  const redeliver = () => runRedelivery(redelivery);
  if (options.consume !== false) eventSource.start();
  const ticker = setInterval(() => {
    tick().catch((error: unknown) => log.error('tick failed', { error: (error as Error).message }));
  }, options.tickMs ?? 60_000);
  ticker.unref();
  // the production job on the same schedule, only when there is something to do: hooks and a token
  const redeliverer =
    redelivery.hooks.length > 0 && (await redelivery.token()) !== undefined
      ? setInterval(
          () => {
            redeliver().catch((error: unknown) =>
              log.error('redelivery failed', { error: (error as Error).message }),
            );
          },
          options.redeliverMs ?? 5 * 60_000,
        )
      : undefined;
  redeliverer?.unref();

  return {
    url: http.url,
    queues,
    state: { ...state, store, outbox },
    tick,
    redeliver,
    previews: preview.previews,
    mode,
    channels: preview.channels,
    targets: preview.targets,
    async waitForIdle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const depth = await queueDepth(queues.client, queues.queueUrl);
        // idle: nothing queued, and nothing in an outbox that could go out now
        if (depth.visible === 0 && depth.inFlight === 0 && !(await dueSoon())) return;
        if (Date.now() > deadline)
          throw new Error(`local stack not idle after ${timeoutMs} ms: ${JSON.stringify(depth)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      // stop taking requests first, then let the sender finish its batch
      await close(http.server);
      clearInterval(ticker);
      clearInterval(redeliverer);
      await eventSource.stop();
      queues.client.destroy();
      await close(queues.server);
      await state.stop();
      await preview.stop();
      unlock();
    },
  };
};
