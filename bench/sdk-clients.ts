/**
 * A second reference for init: the three SDK clients the sender cannot do without, built as lib/wiring builds
 * them (SQS and DynamoDB at init, Secrets Manager on the first secret read) and nothing of Vigil's. The gap
 * between it and the sender is Vigil's own code; the gap between it and sqs-only is the clients'.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const region = process.env.AWS_REGION ?? 'us-east-1';
export const queue = new SQSClient({ region });
export const table = new DynamoDBClient({ region });
export const commands = [ChangeMessageVisibilityCommand, SendMessageCommand, GetItemCommand, PutItemCommand];
export const secrets = async () => {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  return { client: new SecretsManagerClient({ region }), command: GetSecretValueCommand };
};
