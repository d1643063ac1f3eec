/**
 * The errors an inbound request can end in. Each carries the HTTP status it maps to; the message is shown
 * to the caller only below 500 (see toErrorResponse), so it must say what to fix and never echo a secret.
 */
export abstract class WebhookError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Sent as `Retry-After` (seconds): when the caller may try again. */
  readonly retryAfterSeconds: number | undefined = undefined;
}

const define = (name: string, status: number, code: string) =>
  class extends WebhookError {
    override readonly name = name;
    readonly status = status;
    readonly code = code;
  };

export class BadRequestError extends define('BadRequestError', 400, 'bad_request') {}
export class MissingHeaderError extends define('MissingHeaderError', 400, 'missing_header') {}
export class MalformedBodyError extends define('MalformedBodyError', 400, 'malformed_body') {}
export class SignatureMismatchError extends define('SignatureMismatchError', 401, 'unauthorized') {}
export class NotFoundError extends define('NotFoundError', 404, 'not_found') {}
export class MethodNotAllowedError extends define('MethodNotAllowedError', 405, 'method_not_allowed') {}
export class PayloadTooLargeError extends define('PayloadTooLargeError', 413, 'payload_too_large') {}
export class UnsupportedMediaTypeError extends define(
  'UnsupportedMediaTypeError',
  415,
  'unsupported_media_type',
) {}
export class NotConfiguredError extends define('NotConfiguredError', 503, 'not_configured') {}
/** The queue is throttling or down: Alertmanager, Grafana and the Docker forwarder retry; 30 s lets it recover. */
export class QueueUnavailableError extends define('QueueUnavailableError', 503, 'queue_unavailable') {
  override readonly retryAfterSeconds = 30;
}
