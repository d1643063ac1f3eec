import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { orderKey, type Post, planBatch, type Role } from '../../lib/delivery/plan';
import type { VigilEvent } from '../../lib/event/model';
import type { WebhookRequest } from '../../lib/http/request';
import { toOutbound } from '../../lib/queue/message';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { normalizeGithub } from '../../lib/sources/github/normalize';
import { SOURCES } from '../../lib/sources/registry';
import { octokitExample } from '../../tools/harness/github';
import { postingSender } from '../helpers/posting-sender';
import { sqsRecord } from '../helpers/sqs-record';

const opened = normalizeGithub({
  event: 'issues',
  payload: octokitExample('issues', (p) => p.action === 'opened'),
  id: 'base',
  receivedAt: '2026-11-23T12:00:00.000Z',
});

const issue = (id: string, subject: string, critical: boolean): VigilEvent => ({
  ...opened,
  id,
  subject: { name: subject },
  ...(critical ? { severity: 'critical' as const } : {}),
});

interface Arrival {
  readonly subject: string;
  readonly critical: boolean;
  readonly digest: 'always' | 'auto' | 'never' | undefined;
  readonly channel: 'default' | 'ops' | 'pager';
}

/** A channel's URL belongs to one Cliq user, its FIFO group; two channels may share one. */
const GROUP = { default: 'cliq-a', ops: 'cliq-a', pager: 'cliq-b' } as const;

const recordOf = (arrival: Arrival, index: number): SQSRecord =>
  sqsRecord(
    toOutbound(issue(`e${index}`, arrival.subject, arrival.critical), {
      channel: arrival.channel,
      owner: GROUP[arrival.channel],
      ...(arrival.digest === undefined ? {} : { digest: arrival.digest }),
    }).body,
    `m${index}`,
    GROUP[arrival.channel],
  );

/**
 * What each channel sees, in the order the sender posts it: records run in batch order; a lead posts its
 * plan, a covered record nothing, any other record its own event. Events of one digest share its position
 * and keep their order inside it.
 */
const channelView = (records: readonly SQSRecord[], roles: Map<string, Role>) => {
  const seen: { channel: string; subject: string; id: string }[] = [];
  const emit = (post: Post) => {
    for (const message of post.kind === 'single' ? [post.message] : post.messages) {
      seen.push({ channel: message.channel, subject: orderKey(message.event), id: message.event.id });
    }
  };
  for (const record of records) {
    const role = roles.get(record.messageId) ?? { kind: 'own' };
    if (role.kind === 'covered') continue;
    if (role.kind === 'lead') {
      role.posts.forEach(emit);
      continue;
    }
    const parsed = parseQueuedMessage(record.body);
    if (parsed.ok) emit({ kind: 'single', record, message: parsed.value });
  }
  return seen;
};

const perSubject = (items: readonly { channel: string; subject: string; id: string }[]) => {
  const out = new Map<string, string[]>();
  for (const { channel, subject, id } of items) {
    const key = `${channel}\n${subject}`;
    out.set(key, [...(out.get(key) ?? []), id]);
  }
  return out;
};

describe('planBatch ordering', () => {
  it('shows every subject its events in arrival order, each once, for any batch', () => {
    const arrival = fc.record<Arrival>({
      subject: fc.constantFrom('api', 'db', 'web'),
      critical: fc.boolean(),
      digest: fc.constantFrom(undefined, 'auto', 'always', 'never'),
      channel: fc.constantFrom('default', 'ops', 'pager'),
    });
    fc.assert(
      fc.property(
        fc.array(arrival, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 4 }),
        (arrivals, autoAfter) => {
          const records = arrivals.map(recordOf);
          const seen = channelView(records, planBatch(records, autoAfter));
          const expected = perSubject(
            arrivals.map((a, index) => ({
              channel: a.channel,
              subject: `github\n${a.subject}`,
              id: `e${index}`,
            })),
          );
          expect(perSubject(seen)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** An Alertmanager notification for one alert, through the real adapter. */
const alert = (status: 'firing' | 'resolved', startsAt: string, endsAt = '0001-01-01T00:00:00Z') => {
  const body = Buffer.from(
    JSON.stringify({
      version: '4',
      receiver: 'vigil',
      status,
      groupKey: '{}:{alertname="DiskFull"}',
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: { alertname: 'DiskFull', severity: 'critical', service: 'storage' },
      commonAnnotations: {},
      alerts: [
        {
          status,
          labels: { alertname: 'DiskFull', severity: 'critical', service: 'storage' },
          annotations: {},
          startsAt,
          endsAt,
          fingerprint: 'f00d',
        },
      ],
    }),
  );
  const request: WebhookRequest = { method: 'POST', path: '/', headers: {}, query: {}, body };
  const accepted = SOURCES.alertmanager.accept(request, '2026-11-23T12:00:00.000Z');
  if (!accepted.ok || accepted.value.events[0] === undefined) throw new Error('not accepted');
  return accepted.value.events[0];
};

describe('a flapping alert in a batch with a digest', () => {
  it('leaves the channel on the alert’s latest state: firing, resolved, firing again', async () => {
    const events = [
      alert('firing', '2026-11-23T11:00:00Z'),
      alert('resolved', '2026-11-23T11:00:00Z', '2026-11-23T11:10:00Z'),
      alert('firing', '2026-11-23T11:20:00Z'),
      issue('g1', 'octo/api', false),
      issue('g2', 'octo/api', false),
      issue('g3', 'octo/web', false),
    ];
    const records = events.map((event, index) =>
      sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `m${index}`),
    );
    const { handler, posted } = postingSender({ digestAfter: 3 });
    await handler({ Records: records });

    // the alert's states in the order the channel shows them (a card names its state twice: counted once)
    const states = posted.flatMap((message) =>
      (
        JSON.stringify(message)
          .replace(/\u200b/g, '')
          .match(/\[(FIRING|RESOLVED)\] DiskFull/g) ?? []
      ).filter((state, index, all) => index === 0 || all[index - 1] !== state),
    );
    expect(states).toEqual(['[FIRING] DiskFull', '[RESOLVED] DiskFull', '[FIRING] DiskFull']);
    expect(posted[posted.length - 1]?.text).toMatch(/^📋 Digest/);
  });
});
