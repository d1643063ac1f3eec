import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Source } from '../../lib/event/model';
import { fromApiGateway } from '../../lib/http/request';
import { defaultDestinations } from '../../lib/ingest/destinations';
import { createIngest } from '../../lib/ingest/handle-webhook';
import type { OutboundMessage } from '../../lib/queue/message';
import { developmentSecrets, SOURCES } from '../../lib/sources/registry';
import { recordingLog } from './log';

/** A source's real ingest pipeline with the development secrets, recording what it would queue. */
export const ingestFor = (
  source: Source,
  options: { maxBodyBytes?: number; secrets?: Record<string, string> } = {},
) => {
  const queued: OutboundMessage[] = [];
  const recorder = recordingLog();
  const ingest = createIngest({
    source: SOURCES[source] as never,
    secrets: async () =>
      options.secrets ?? {
        ...developmentSecrets(),
        ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=TESTTOKEN',
      },
    destinations: defaultDestinations({ previewWhenUnset: false }),
    enqueue: async (messages) => {
      queued.push(...messages);
      return { queued: messages.length };
    },
    maxBodyBytes: options.maxBodyBytes ?? 25 * 1024 * 1024,
    now: () => new Date('2026-11-23T12:00:00Z'),
    log: recorder.log,
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
