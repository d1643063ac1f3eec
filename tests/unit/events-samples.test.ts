import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { fromApiGateway } from '../../lib/http/request';
import { defaultDestinations } from '../../lib/ingest/destinations';
import { createIngest } from '../../lib/ingest/handle-webhook';
import { createSenderHandler } from '../../lib/sender/handler';
import { github } from '../../lib/sources/github/adapter';
import { developmentSecrets, formatEvent } from '../../lib/sources/registry';
import { cliqViolations } from '../helpers/cliq-stand-in';
import { recordingLog } from '../helpers/log';

const EVENTS = join(__dirname, '..', '..', 'events');
const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Every file in events/ is exercised here, so `serverless invoke local --path events/...` never rots. */
describe('events/ samples', () => {
  const githubSamples = readdirSync(join(EVENTS, 'github'));
  it('has GitHub samples and a sender batch', () => {
    expect(githubSamples).toEqual(expect.arrayContaining(['push.json', 'ping.json']));
    expect(readdirSync(join(EVENTS, 'sender'))).toEqual(['sqs-batch.json']);
  });

  it.each(githubSamples)('github/%s is signed with the development secret and accepted', async (file) => {
    const queued: string[] = [];
    const ingest = createIngest({
      source: github,
      secrets: async () => developmentSecrets(),
      destinations: defaultDestinations({ previewWhenUnset: true }),
      enqueue: async (messages) => {
        queued.push(...messages.map((message) => message.body));
        return { queued: messages.length };
      },
      maxBodyBytes: 25 * 1024 * 1024,
      now: () => new Date(),
      log: recordingLog().log,
    });
    const response = await ingest(fromApiGateway(read<APIGatewayProxyEventV2>(join(EVENTS, 'github', file))));
    expect(response.statusCode).toBe(file === 'ping.json' ? 200 : 202);
    expect(queued).toHaveLength(file === 'ping.json' ? 0 : 1);
  });

  it('sender/sqs-batch.json validates, formats within Cliq limits and is processed without failures', async () => {
    const previews: unknown[] = [];
    const handler = createSenderHandler({
      secrets: async () => ({}),
      previewWhenUnset: true,
      format: formatEvent,
      deliver: async () => ({ ok: true, status: 204 }),
      preview: (message) => previews.push(message),
      deadLetter: async () => {
        throw new Error('a sample must not be dead-lettered');
      },
      log: recordingLog().log,
    });
    const response = await handler(read<SQSEvent>(join(EVENTS, 'sender', 'sqs-batch.json')));
    expect(response.batchItemFailures).toEqual([]);
    expect(previews).toHaveLength(2);
    for (const message of previews) expect(cliqViolations(message)).toEqual([]);
  });
});
