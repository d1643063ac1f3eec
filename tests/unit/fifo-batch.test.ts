import type { SQSRecord } from 'aws-lambda';
import { processFifoBatch } from '../../lib/sender/fifo-batch';
import { sqsRecord } from '../helpers/sqs-record';

// AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": with ReportBatchItemFailures a function answers
// { batchItemFailures: [{ itemIdentifier: messageId }] }; for a FIFO queue, once a record of a message group
// fails, the group's later records must be reported too, so SQS hands the group back in order.
describe('processFifoBatch', () => {
  const ids = (records: readonly SQSRecord[]) => records.map((record) => record.messageId);
  const failures = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
    response.batchItemFailures.map((failure) => failure.itemIdentifier);

  it('runs the records one at a time, in the order received', async () => {
    const events: string[] = [];
    const records = [sqsRecord('{}', 'a1', 'a'), sqsRecord('{}', 'b1', 'b'), sqsRecord('{}', 'a2', 'a')];
    const response = await processFifoBatch(records, async (record) => {
      events.push(`start ${record.messageId}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${record.messageId}`);
    });
    expect(events).toEqual(['start a1', 'end a1', 'start b1', 'end b1', 'start a2', 'end a2']);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('reports a failed record and every later record of its group without running them; other groups carry on', async () => {
    const records = [
      sqsRecord('{}', 'a1', 'a'),
      sqsRecord('{}', 'a2', 'a'),
      sqsRecord('{}', 'b1', 'b'),
      sqsRecord('{}', 'a3', 'a'),
      sqsRecord('{}', 'b2', 'b'),
      sqsRecord('{}', 'c1', 'c'),
    ];
    const ran: SQSRecord[] = [];
    const response = await processFifoBatch(records, async (record) => {
      ran.push(record);
      if (record.messageId === 'a2') throw new Error('Cliq answered HTTP 503');
    });
    expect(ids(ran)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(failures(response)).toEqual(['a2', 'a3']);
  });

  it('treats a handler that throws before returning a promise like one that rejects', async () => {
    const records = [sqsRecord('{}', 'a1', 'a'), sqsRecord('{}', 'a2', 'a'), sqsRecord('{}', 'b1', 'b')];
    const ran: string[] = [];
    const response = await processFifoBatch(records, (record) => {
      ran.push(record.messageId);
      if (record.messageId === 'a1') throw new Error('boom');
      return Promise.resolve();
    });
    expect(ran).toEqual(['a1', 'b1']);
    expect(failures(response)).toEqual(['a1', 'a2']);
  });

  it('answers a batch in which every record failed with every message id, instead of throwing', async () => {
    const records = [sqsRecord('{}', 'a1', 'a'), sqsRecord('{}', 'b1', 'b'), sqsRecord('{}', 'a2', 'a')];
    const response = await processFifoBatch(records, async () => {
      throw new Error('Cliq answered HTTP 503');
    });
    expect(failures(response)).toEqual(['a1', 'b1', 'a2']);
  });

  it('answers an empty batch with no failures', async () => {
    expect(await processFifoBatch([], async () => undefined)).toEqual({ batchItemFailures: [] });
  });
});
