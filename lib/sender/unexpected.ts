import { redactTokens } from '../cliq/channel-url';
import type { DeadLetterReason } from '../queue/dead-letter';
import type { SecretSource, Secrets } from '../secrets';

/** The sender could not read its secrets (Secrets Manager, or the secret's JSON): Cliq was never asked. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/** The secrets, or a SecretUnavailableError that names why without showing any of them. */
export const readSecrets = async (secrets: SecretSource): Promise<Secrets> => {
  try {
    return await secrets();
  } catch (cause) {
    const failure = cause instanceof Error ? cause : new Error(String(cause));
    throw new SecretUnavailableError(failure.message, { cause: failure });
  }
};

/**
 * DynamoDB's answers for a table that cannot serve now (throttled, a server error), and the HTTP handler's
 * timeout, which the SDK throws without `$metadata`.
 */
const STATE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/**
 * Whether a failure came from the state table: one of the errors above, or any AWS SDK service error (it
 * carries `$metadata`). Inside a send the secrets are read first and tagged (readSecrets), Cliq's answers
 * are results, not errors, so the only AWS calls left to throw are DynamoDB's.
 */
export const isStateUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (STATE_ERRORS.has(error.name)) return true;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null;
};

/** Why a record that failed other than by Cliq is dead-lettered on its last receive, for the DLQ tooling. */
export const unexpectedFailure = (
  error: unknown,
  identity: { kind: string; source: string; channel: string },
): DeadLetterReason => {
  const failure = error instanceof Error ? error : new Error(String(error));
  const secret = failure instanceof SecretUnavailableError;
  // what Secrets Manager said, rather than the wrapper's name
  const answer = secret && failure.cause instanceof Error ? failure.cause : failure;
  const status = (answer as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return {
    reason: secret
      ? 'secret_unavailable'
      : isStateUnavailable(failure)
        ? 'state_unavailable'
        : 'internal_error',
    detail: redactTokens(answer.message),
    code: answer.name,
    ...(typeof status === 'number' ? { status } : {}),
    ...identity,
  };
};
