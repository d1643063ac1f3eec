import type { SQSRecord } from 'aws-lambda';
import { releaseSkipped } from '../../lib/sender/release-skipped';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

// AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": a record reported in batchItemFailures becomes
// visible again only when its visibility timeout ends; the FIFO batch (fifo-batch.ts) reports the rest of a
// failed group without running it
describe('releaseSkipped', () => {
  const records = [
    sqsRecord('{}', 'a1', 'a'),
    sqsRecord('{}', 'b1', 'b'),
    sqsRecord('{}', 'a2', 'a'),
    sqsRecord('{}', 'a3', 'a'),
    sqsRecord('{}', 'b2', 'b'),
  ];
  const run = async (failed: string[], movedOut: Record<string, number>) => {
    const changed: [string, number][] = [];
    await releaseSkipped(
      records,
      { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) },
      new Map(Object.entries(movedOut)),
      {
        log: recordingLog().log,
        changeVisibility: async (record: SQSRecord, seconds: number) => {
          changed.push([record.messageId, seconds]);
        },
      },
    );
    return changed;
  };

  it('gives the records skipped behind a failure that failure’s own wait, group by group', async () => {
    expect(await run(['a1', 'a2', 'a3', 'b2'], { a1: 20, b2: 600 })).toEqual([
      ['a2', 20],
      ['a3', 20],
    ]);
  });

  it('leaves a group alone when its failure kept the queue’s visibility timeout', async () => {
    expect(await run(['a1', 'a2', 'a3'], {})).toEqual([]);
  });
});
