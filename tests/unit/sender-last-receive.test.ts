import type { SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../../lib/cliq/deliver';
import { Pacer } from '../../lib/delivery/pacer';
import type { VigilEvent } from '../../lib/event/model';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import { push } from '../helpers/conversation-events';
import { channelUrl, fakeCliq } from '../helpers/fake-cliq';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

let seq = 0;
const recordOf = (event: VigilEvent, receives: string): SQSRecord => {
  const record = sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `m${++seq}`);
  return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: receives } };
};

const setup = (answer: () => DeliveryResult | undefined, pacer?: Pacer) => {
  const cliq = fakeCliq();
  const deadLettered: { messageId: string; why: DeadLetterReason }[] = [];
  let tries = 0;
  const handler = createSenderHandler({
    secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: channelUrl('ops') }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (url, message) => {
      tries += 1;
      return answer() ?? cliq.deliver(url, message);
    },
    preview: () => undefined,
    deadLetter: async (record, why) => {
      deadLettered.push({ messageId: record.messageId, why });
    },
    state: memoryStateStore(),
    digestAfter: 1,
    maxReceiveCount: 25,
    ...(pacer === undefined ? {} : { pacer }),
    log: recordingLog().log,
  });
  return { cliq, deadLettered, handler, tries: () => tries };
};

const UNAVAILABLE: DeliveryResult = {
  ok: false,
  transient: true,
  throttled: false,
  status: 503,
  message: 'down',
};

describe('a digest led by a record on its last receive', () => {
  it('still dead-letters a digest whose records are all on their last receive, so the group goes on', async () => {
    const { deadLettered, handler } = setup(() => UNAVAILABLE);
    const records = [recordOf(push('x1'), '25'), recordOf(push('x2'), '25')];
    const response = await handler({ Records: records });
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map((d) => [d.messageId, d.why.reason])).toEqual(
      records.map((record) => [record.messageId, 'retries_exhausted']),
    );
  });

  it('does not dead-letter events received for the first time after a single 503', async () => {
    const { deadLettered, handler } = setup(() => UNAVAILABLE);
    const old = recordOf(push('old'), '25'); // has failed 24 times already
    const fresh = [recordOf(push('n1'), '1'), recordOf(push('n2'), '1')];
    const response = await handler({ Records: [old, ...fresh] });
    // a 5xx is worth retrying (specs/zoho-cliq.md): records on their first receive come back, not go to the
    // DLQ; the digest is retried whole, and SQS's redrive moves the old record on its next receive
    expect(deadLettered).toEqual([]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      old.messageId,
      ...fresh.map((record) => record.messageId),
    ]);
  });

  it('never dead-letters a first-receive event that was not even tried because the owner is locked', async () => {
    const pacer = new Pacer(600);
    const { deadLettered, handler, tries } = setup(() => undefined, pacer);
    pacer.lock('cliq-a', 600);
    const old = recordOf(push('old2'), '25');
    const fresh = [recordOf(push('n3'), '1'), recordOf(push('n4'), '1')];
    await handler({ Records: [old, ...fresh] });
    expect(tries()).toBe(0);
    expect(deadLettered).toEqual([]);
  });
});
