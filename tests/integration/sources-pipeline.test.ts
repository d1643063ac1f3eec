import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import { testStackWithCliq } from '../helpers/local-stack';

const EVENTS = join(__dirname, '..', '..', 'events');
const samples = readdirSync(EVENTS)
  .filter((dir) => dir !== 'sender' && dir !== 'github')
  .map((dir) => [dir, readdirSync(join(EVENTS, dir))[0] ?? ''] as [string, string]);

/** Every source end to end over loopback: its sample in, a valid card out at the Cliq stand-in. */
describe('every source through the local stack', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;

  beforeAll(async () => {
    ({ cliq, stack } = await testStackWithCliq({ RETRY_BASE_SECONDS: '1', CLIQ_POSTS_PER_MINUTE: '600' }));
  });
  afterAll(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it.each(samples)('%s/%s is delivered to Cliq as a valid card', async (source, file) => {
    const event = JSON.parse(readFileSync(join(EVENTS, source, file), 'utf8')) as APIGatewayProxyEventV2;
    const before = cliq.messages('ops').length;
    const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
    const response = await fetch(`${stack.url}${event.rawPath}${query}`, {
      method: 'POST',
      headers: event.headers as Record<string, string>,
      body: event.body ?? '',
    });
    expect(response.status).toBe(202);
    await stack.waitForIdle();
    expect(cliq.messages('ops').length).toBeGreaterThan(before);
    expect(cliq.attempts.every((attempt) => attempt.status === 200 || attempt.status === 204)).toBe(true);
  });
});
