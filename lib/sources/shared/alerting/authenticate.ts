import { credentialOf, matchesAny } from '../../../http/auth';
import { SignatureMismatchError } from '../../../http/errors';
import type { WebhookRequest } from '../../../http/request';
import { err, ok, type Result } from '../../../result';

/** Bearer token, or basic auth whose password is the token; `hint` tells the user where to set it. */
export const authenticateToken = (
  request: WebhookRequest,
  tokens: readonly string[],
  hint: string,
): Result<true, SignatureMismatchError> => {
  const credential = credentialOf(request);
  if (credential === undefined) {
    return err(new SignatureMismatchError(`Authorization is missing: ${hint}`));
  }
  return matchesAny(credential.value, tokens)
    ? ok(true)
    : err(
        new SignatureMismatchError(
          `the ${credential.scheme === 'basic' ? 'basic auth password' : 'bearer token'} does not match: ${hint}`,
        ),
      );
};
