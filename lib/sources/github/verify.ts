import { hexSignatureMatches } from '../../http/auth';
import { err, ok, type Result } from '../../result';
import { hmacHex } from '../../util/hmac';

export type VerifyFailure = 'missing_signature' | 'malformed_signature' | 'mismatch';

const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * Checks `X-Hub-Signature-256` (sha256=<hex HMAC of the raw body>) against each configured secret in
 * constant time. The body must be the exact bytes received: re-serialized JSON would not verify.
 */
export const verifyGithub = (
  body: Uint8Array | string,
  signature: string | undefined,
  secrets: readonly string[],
): Result<true, VerifyFailure> => {
  if (signature === undefined || signature === '') return err('missing_signature');
  if (!SIGNATURE.test(signature)) return err('malformed_signature');
  // every secret is tried, so timing does not reveal which one matched
  return hexSignatureMatches(body, signature.slice('sha256='.length), secrets) ? ok(true) : err('mismatch');
};

export const signGithub = (body: Uint8Array | string, secret: string): string =>
  `sha256=${hmacHex('sha256', secret, body)}`;
