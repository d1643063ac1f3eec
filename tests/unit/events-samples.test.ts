import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { fitMessage } from '../../lib/cliq/fit';
import type { Source } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { SOURCES } from '../../lib/sources/registry';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { ingestFor } from '../helpers/ingest';
import { recordingLog } from '../helpers/log';

const EVENTS = join(__dirname, '..', '..', 'events');
const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Every file in events/ is exercised here, so `serverless invoke local --path events/...` never rots. */
describe('events/ samples', () => {
  const sourceSamples = readdirSync(EVENTS)
    .filter((dir) => dir !== 'sender')
    .flatMap((dir) => readdirSync(join(EVENTS, dir)).map((file) => [dir, file] as [string, string]));

  it('are what `npm run events` writes today, so none is stale against the model', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'vigil-events-'));
    try {
      execFileSync(process.execPath, ['-r', 'esbuild-register', 'scripts/make-events.ts', fresh], {
        cwd: join(__dirname, '..', '..'),
        stdio: 'pipe',
      });
      const files = (root: string) =>
        readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)).map((file) => join(dir, file)));
      expect(files(fresh).sort()).toEqual(files(EVENTS).sort());
      for (const file of files(EVENTS))
        expect([file, readFileSync(join(fresh, file), 'utf8')]).toEqual([
          file,
          readFileSync(join(EVENTS, file), 'utf8'),
        ]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 30_000);

  it('has samples for every source and a sender batch', () => {
    expect(new Set(sourceSamples.map(([dir]) => dir))).toEqual(new Set(Object.keys(SOURCES)));
    expect(readdirSync(join(EVENTS, 'sender'))).toEqual(['sqs-batch.json']);
  });

  it.each(sourceSamples)(
    '%s/%s is authenticated with the development secrets, accepted and formats within limits',
    async (dir, file) => {
      const { call, queued } = ingestFor(dir as Source);
      const response = await call(read<APIGatewayProxyEventV2>(join(EVENTS, dir, file)));
      const ping = file === 'ping.json';
      expect(response.status).toBe(ping ? 200 : 202);
      expect(queued.length > 0).toBe(!ping);
      for (const message of queued) {
        const parsed = parseQueuedMessage(message.body);
        expect(parsed.ok && cliqViolations(fitMessage(formatEvent(parsed.value.event)))).toEqual([]);
      }
    },
  );

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
