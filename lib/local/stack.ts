import type { Server } from 'node:http';
import type { CliqMessage } from '../cliq/message';
import { loadConfig } from '../config';
import { json } from '../http/response';
import { createLog, type Log } from '../log';
import { memoryCounters } from '../metrics';
import { loadRouting, routingFilePath } from '../routing/load';
import { sourceList } from '../sources/registry';
import { ingestDeps, senderDeps, webhookHandler } from '../wiring';
import { Activity } from './console/activity';
import { observedSenderHandler, observeIngest } from './console/observe';
import { consoleRoutes } from './console/routes';
import { FifoEventSource } from './fifo-event-source';
import { startHttpServer } from './http-server';
import { printPreview } from './preview';
import { type LocalQueues, queueDepth, startLocalQueues } from './sqs-server';

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalStackOptions {
  readonly env?: Env;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  readonly sqsPort?: number;
  readonly host?: string;
  readonly maxReceiveCount?: number;
  readonly log?: Log;
  /** Print previews to stdout as well as keeping them (the CLI does; tests need not). */
  readonly printPreviews?: boolean;
}

export interface Preview {
  readonly channel: string;
  readonly kind: string;
  readonly message: CliqMessage;
}

export interface LocalStack {
  readonly url: string;
  readonly queues: LocalQueues;
  readonly previews: Preview[];
  readonly mode: 'preview' | 'cliq';
  waitForIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

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
  const retrySeconds = Number(baseEnv.RETRY_BASE_SECONDS ?? 10);
  const queues = await startLocalQueues({
    port: options.sqsPort ?? Number(baseEnv.SQS_PORT ?? 9324),
    host,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    visibilityTimeoutSeconds: retrySeconds,
  });
  const env: Env = { ...baseEnv, VIGIL_LOCAL: 'true', QUEUE_URL: queues.queueUrl, DLQ_URL: queues.dlqUrl };
  const log = options.log ?? createLog('vigil-local');
  const previews: Preview[] = [];

  const counters = memoryCounters();
  const activity = new Activity();
  const sender = senderDeps(env, routing);
  const senderHandler = observedSenderHandler(activity)({
    ...sender,
    counters,
    changeVisibility: async (record, seconds) => {
      await sender.changeVisibility?.(record, seconds);
      eventSource.noteVisibility(record.messageId, seconds);
    },
    log,
    preview: (message, context) => {
      previews.push({ channel: context.channel, kind: context.event.kind, message });
      if (options.printPreviews) printPreview(message, context);
    },
  });
  const eventSource = new FifoEventSource({
    client: queues.client,
    queueUrl: queues.queueUrl,
    queueArn: queues.queueArn,
    handler: senderHandler,
    retryAfterSeconds: retrySeconds,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    log,
  });
  const mode = env.ZOHO_CLIQ_WEBHOOK_URL ? 'cliq' : 'preview';

  const health = async () => {
    const [queue, dlq] = await Promise.all([
      queueDepth(queues.client, queues.queueUrl),
      queueDepth(queues.client, queues.dlqUrl),
    ]);
    return json(200, {
      status: 'ok',
      mode,
      queue,
      dlq: { depth: dlq.visible + dlq.inFlight },
      locks: sender.pacer?.locks() ?? {},
      counters: counters.snapshot(),
    });
  };
  const http = await startHttpServer({
    host,
    port: options.port ?? Number(baseEnv.PORT ?? 3000),
    maxBodyBytes: config.maxBodyBytes,
    routes: [
      { path: '/health', method: 'GET', handler: health },
      { path: '/previews', method: 'GET', handler: async () => json(200, { previews }) },
      ...consoleRoutes({ activity, queues, routing, routingFile: routingFilePath(baseEnv), mode, health }),
      ...sourceList().map((source) => ({
        path: source.route,
        method: 'ANY' as const,
        handler: webhookHandler(
          source,
          observeIngest({ ...ingestDeps(source, env, routing), log, counters }, activity, routing),
        ),
      })),
    ],
  });
  eventSource.start();

  return {
    url: http.url,
    queues,
    previews,
    mode,
    async waitForIdle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const depth = await queueDepth(queues.client, queues.queueUrl);
        if (depth.visible === 0 && depth.inFlight === 0 && eventSource.settled) return;
        if (Date.now() > deadline)
          throw new Error(`local stack not idle after ${timeoutMs} ms: ${JSON.stringify(depth)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      // stop taking requests first, then let the sender finish its batch
      await close(http.server);
      await eventSource.stop();
      queues.client.destroy();
      await close(queues.server);
    },
  };
};
