import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';
import { planBatch } from '../../lib/delivery/plan';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { normalizeGithub } from '../../lib/sources/github/normalize';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { octokitExample } from '../../tools/harness/github';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const URL = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.T';

const issue = (n: number, severity?: 'critical', subject?: string) => {
  const event = normalizeGithub({
    event: 'issues',
    payload: octokitExample('issues', (p) => p.action === 'opened'),
    id: `ev-${n}`,
    receivedAt: '2026-11-23T12:00:00.000Z',
  });
  return {
    ...event,
    title: `opened issue #${n}: storm ${n}`,
    ...(severity === undefined ? {} : { severity }),
    ...(subject === undefined ? {} : { subject: { name: subject } }),
  };
};

const record = (
  n: number,
  options: { severity?: 'critical'; digest?: 'always' | 'never'; subject?: string } = {},
): SQSRecord => {
  const outbound = toOutbound(issue(n, options.severity, options.subject), {
    channel: 'default',
    owner: 'cliq-a',
    ...(options.digest === undefined ? {} : { digest: options.digest }),
  });
  return sqsRecord(outbound.body, `m${n}`);
};

const setup = (answers: DeliveryResult[] = []) => {
  const posted: CliqMessage[] = [];
  const dead: [string, DeadLetterReason][] = [];
  const moved: [string, number][] = [];
  const handler = createSenderHandler({
    secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: URL }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (_url, message) => {
      const answer = answers.shift() ?? { ok: true, status: 204 };
      if (answer.ok) posted.push(message);
      return answer;
    },
    preview: () => undefined,
    deadLetter: async (r, why) => void dead.push([r.messageId, why]),
    changeVisibility: async (r, seconds) => void moved.push([r.messageId, seconds]),
    digestAfter: 3,
    log: recordingLog().log,
  });
  return { handler, posted, dead, moved };
};

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const titles = (messages: readonly CliqMessage[]) => JSON.stringify(messages);

describe('digests in the sender', () => {
  it('merges more events than the budget allows now into one digest, each listed once', async () => {
    const { handler, posted } = setup();
    const response = await handler(batch(...[1, 2, 3, 4, 5, 6].map((n) => record(n))));
    expect(response.batchItemFailures).toEqual([]);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toMatch(/^📋 Digest: 6 events/);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(titles(posted).split(`storm ${n}`).length - 1).toBe(1);
    expect(cliqViolations(posted[0])).toEqual([]);
  });

  it('posts few events one by one', async () => {
    const { handler, posted } = setup();
    await handler(batch(record(1), record(2), record(3)));
    expect(posted).toHaveLength(3);
  });

  it('posts critical events first and alone, never behind the digest of other subjects', async () => {
    const { handler, posted } = setup();
    await handler(
      batch(
        record(1),
        record(2),
        record(3),
        record(4),
        record(5, { severity: 'critical', subject: 'payments' }),
        record(6),
      ),
    );
    expect(posted).toHaveLength(2);
    expect(titles([posted[0] as CliqMessage])).toContain('storm 5');
    expect(posted[1]?.text).toMatch(/^📋 Digest: 5 events/);
    expect(titles([posted[1] as CliqMessage])).not.toContain('storm 5');
  });

  it('follows digest: always and never from the route', () => {
    const always = planBatch([record(1, { digest: 'always' }), record(2, { digest: 'always' })], 3);
    expect(always.get('m1')).toMatchObject({ kind: 'lead' });
    const never = planBatch(
      [1, 2, 3, 4, 5].map((n) => record(n, { digest: 'never' })),
      3,
    );
    expect([...never.values()].every((role) => role.kind === 'own')).toBe(true);
  });

  it('fails the whole group when the digest cannot be posted, so nothing is lost, and all of it comes back after the backoff', async () => {
    const { handler, moved } = setup([
      { ok: false, transient: true, throttled: false, status: 503, message: 'down' },
    ]);
    const response = await handler(batch(...[1, 2, 3, 4, 5].map((n) => record(n))));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    // the lead moved itself out by its backoff; the covered records get the same, not the queue's timeout
    expect(moved.map(([id]) => id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(new Set(moved.map(([, seconds]) => seconds)).size).toBe(1);
  });

  it('does not post a critical event twice when its digest is retried', async () => {
    const { handler, posted } = setup([
      { ok: true, status: 204 },
      { ok: false, transient: true, throttled: false, status: 503, message: 'down' },
    ]);
    const records = [record(1, { severity: 'critical' }), record(2), record(3), record(4), record(5)];
    await handler(batch(...records));
    await handler(batch(...records));
    expect(posted).toHaveLength(2);
    expect(titles([posted[0] as CliqMessage])).toContain('storm 1');
    expect(posted[1]?.text).toMatch(/^📋 Digest: 4 events/);
  });

  it('dead-letters every event of a digest Cliq refuses', async () => {
    const { handler, dead } = setup([
      { ok: false, transient: false, throttled: false, status: 400, code: 'input_invalid', message: 'bad' },
    ]);
    const response = await handler(batch(...[1, 2, 3, 4].map((n) => record(n))));
    expect(response.batchItemFailures).toEqual([]);
    expect(dead.map(([id, why]) => [id, why.reason])).toEqual(
      ['m1', 'm2', 'm3', 'm4'].map((id) => [id, 'cliq_rejected']),
    );
  });
});
