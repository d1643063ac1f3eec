import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Source } from '../../lib/event/model';
import { fromApiGateway } from '../../lib/http/request';
import { defaultDestinations } from '../../lib/ingest/destinations';
import { createIngest, type IngestDeps } from '../../lib/ingest/handle-webhook';
import type { OutboundMessage } from '../../lib/queue/message';
import { developmentSecrets, SOURCES } from '../../lib/sources/registry';
import { recordingLog } from './log';

/** A source's real ingest pipeline with the development secrets, recording what it would queue. */
export const ingestFor = (
  source: Source,
  options: Partial<Omit<IngestDeps, 'source' | 'secrets'>> & {
    /** Replaces the development secrets (and test channel) entirely. */
    secrets?: Record<string, string>;
    /** Replaces the secret source itself (to make it fail). */
    loadSecrets?: IngestDeps['secrets'];
  } = {},
) => {
  const queued: OutboundMessage[] = [];
  const recorder = recordingLog();
  const { secrets, loadSecrets, ...rest } = options;
  const ingest = createIngest({
    source: SOURCES[source] as never,
    secrets:
      loadSecrets ??
      (async () =>
        secrets ?? {
          ...developmentSecrets(),
          ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=TESTTOKEN',
        }),
    destinations: defaultDestinations({ previewWhenUnset: false }),
    enqueue: async (messages) => {
      queued.push(...messages);
      return { queued: messages.length };
    },
    maxBodyBytes: 25 * 1024 * 1024,
    now: () => new Date('2026-11-23T12:00:00Z'),
    log: recorder.log,
    ...rest,
  });
  const call = async (event: APIGatewayProxyEventV2) => {
    const result = await ingest(fromApiGateway(event));
    return {
      status: result.statusCode ?? 0,
      body: JSON.parse(result.body ?? '{}') as Record<string, unknown>,
    };
  };
  return { call, queued, recorder };
};
