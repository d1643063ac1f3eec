import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { messageBytes, QUEUED_MESSAGE_BYTES } from '../../lib/queue/size';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

const sample = (file: string): Record<string, unknown> =>
  JSON.parse(
    (JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', file), 'utf8')) as APIGatewayProxyEventV2)
      .body ?? '{}',
  ) as Record<string, unknown>;

/**
 * SQS counts a message in UTF-8 bytes, body and attributes (Amazon SQS API Reference, SendMessage). Strings
 * bounded in characters can still make a body too large: control characters JSON spells in 6 bytes each.
 */
describe('a queued message', () => {
  it('is measured in bytes, attributes included', () => {
    expect(messageBytes('語', { kind: 'é' })).toBe(3 + 'kind'.length + 'String'.length + 2);
  });

  it('of a push whose commits do not fit keeps the newest commits and the total', async () => {
    const push = sample('github/push.json');
    const commits = Array.from({ length: 20 }, (_, i) => ({
      id: String(i).padStart(2, '0').repeat(20),
      message: `${'\u0001'.repeat(190)} ${i}`,
      author: { name: '\u0002'.repeat(250) },
      url: `https://github.example/commit/${'\u0003'.repeat(2000)}${i}`,
    }));
    const body = JSON.stringify({ ...push, commits, head_commit: commits.at(-1) });
    const { call, queued } = ingestFor('github');
    expect((await call(sourceEvent('github', body))).status).toBe(202);

    const [message] = queued;
    expect(messageBytes(message?.body ?? '', message?.attributes)).toBeLessThanOrEqual(QUEUED_MESSAGE_BYTES);
    const parsed = parseQueuedMessage(message?.body ?? '');
    if (!parsed.ok || parsed.value.event.facts.type !== 'push') throw new Error('not a queued push');
    const { facts } = parsed.value.event;
    expect(facts.commitCount).toBe(20);
    expect(facts.commits.length).toBeGreaterThan(0);
    expect(facts.commits.length).toBeLessThan(20);
    expect(facts.commits.at(-1)?.sha).toBe(commits.at(-1)?.id.slice(0, 12));
  });
});
