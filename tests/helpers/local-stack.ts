import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../tools/local/stack';
import { recordingLog } from './log';

/**
 * The local stack as a test runs it: free ports for HTTP, SQS and DynamoDB, its log kept instead of printed,
 * its state in memory unless `env` names a VIGIL_STATE_DIR. `options` replaces any of these.
 */
export const testStack = (
  env: NonNullable<LocalStackOptions['env']> = {},
  options: Omit<LocalStackOptions, 'env'> = {},
): Promise<LocalStack> =>
  // the schedule's tick every quarter second, so an outbox's short waits (a test's 1 s backoff) end soon
  startLocalStack({ port: 0, sqsPort: 0, log: recordingLog().log, tickMs: 250, ...options, env });

/**
 * A Cliq stand-in and a test stack whose default channel (ZOHO_CLIQ_WEBHOOK_URL) posts to the stand-in's
 * `channel` with `token`; `env` adds to or replaces that.
 */
export const testStackWithCliq = async (
  env: NonNullable<LocalStackOptions['env']> = {},
  {
    channel = 'ops',
    token = 'tok-1',
    ...options
  }: Omit<LocalStackOptions, 'env'> & { channel?: string; token?: string } = {},
): Promise<{ cliq: CliqStandIn; stack: LocalStack }> => {
  const cliq = await new CliqStandIn().start();
  // a stack that fails to start must not leave the stand-in listening past the test
  const stack = await testStack(
    { ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl(channel, token), ...env },
    options,
  ).catch(async (error: unknown) => {
    await cliq.stop();
    throw error;
  });
  return { cliq, stack };
};
