import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { WebhookError } from './errors';

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Maps any error to a response. Messages of client errors are shown because they say what to fix; a 5xx
 * names only its code (a WebhookError's message is ours and safe; anything else is generic), so internals,
 * stack traces and secrets never leave the function.
 */
export const toErrorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof WebhookError) {
    const response = json(error.status, { error: error.code, message: error.message });
    if (error.retryAfterSeconds !== undefined) {
      response.headers = { ...response.headers, 'retry-after': String(error.retryAfterSeconds) };
    }
    return response;
  }
  return json(500, {
    error: 'internal_error',
    message: 'Vigil failed to process this request; it was not queued.',
  });
};
