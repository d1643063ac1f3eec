import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A queue's ARN, as SQS reports it. */
export const queueArn = async (client: Pick<SQSClient, 'send'>, queueUrl: string): Promise<string> =>
  (await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn ?? '';

/** How many messages a queue holds, visible and being read, as SQS counts them (reading none). */
export const queueDepth = async (
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> => {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};
