import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../tools/local/stack';
import { recordingLog } from './log';

/**
 * The local stack as a test runs it: free ports for HTTP, SQS and DynamoDB, its log kept instead of printed,
 * its state in memory unless `env` names a VIGIL_STATE_DIR. `options` replaces any of these.
 */
export const testStack = (
  env: NonNullable<LocalStackOptions['env']> = {},
  options: Omit<LocalStackOptions, 'env'> = {},
): Promise<LocalStack> => startLocalStack({ port: 0, sqsPort: 0, log: recordingLog().log, ...options, env });
