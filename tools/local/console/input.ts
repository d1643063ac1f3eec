import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fromApiGateway } from '../../../lib/http/request';
import { json } from '../../../lib/http/response';
import { parseJsonObject } from '../../../lib/util/parse-json';

/** A console request's body when it is a JSON object. */
export const bodyOf = (event: APIGatewayProxyEventV2): Record<string, unknown> | undefined => {
  const parsed = parseJsonObject(fromApiGateway(event).body.toString('utf8'));
  return parsed.ok ? parsed.value : undefined;
};

/** 400, saying what to send instead. */
export const bad = (message: string) => json(400, { error: 'bad_request', message });
