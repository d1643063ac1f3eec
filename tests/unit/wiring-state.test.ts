import { loadConfig } from '../../lib/config';
import { dynamoClientFor } from '../../lib/wiring/aws';
import { senderDeps } from '../../lib/wiring/sender';

const queues = {
  QUEUE_URL: 'http://127.0.0.1:9324/000000000000/vigil-events.fifo',
  DLQ_URL: 'http://127.0.0.1:9324/000000000000/vigil-events-dlq.fifo',
};

describe('the sender state wiring', () => {
  it('fails at start naming STATE_TABLE when the table is not configured', () => {
    expect(() => senderDeps(queues)).toThrow('STATE_TABLE is not set');
  });

  it('gives the sender a state store once STATE_TABLE is set', () => {
    expect(senderDeps({ ...queues, STATE_TABLE: 'vigil-prod-state' }).state).toBeDefined();
  });

  it('points a local client at the local stack DynamoDB, and leaves AWS to the SDK', async () => {
    const local = dynamoClientFor(loadConfig({ VIGIL_LOCAL: 'true', DYNAMODB_PORT: '8123' }));
    const endpoint = await local.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:8123');
    const aws = dynamoClientFor(
      loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8123', AWS_REGION: 'eu-west-1' }),
    );
    expect(aws.config.endpoint).toBeUndefined();
    expect(await aws.config.region()).toBe('eu-west-1');
  });

  it('points a local client at DYNAMODB_ENDPOINT when it is set, tuned as the caller asks', async () => {
    const external = dynamoClientFor(
      loadConfig({ VIGIL_LOCAL: 'true', DYNAMODB_ENDPOINT: 'http://localhost:4566', DYNAMODB_PORT: '8123' }),
      { maxAttempts: 1 },
    );
    const endpoint = await external.config.endpoint?.();
    expect(`${endpoint?.hostname}:${endpoint?.port}`).toBe('localhost:4566');
    expect(await external.config.maxAttempts()).toBe(1);
  });
});
