import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Posts an `events/` sample (a signed API Gateway event) to a running stack, as its source would. */
export const postSample = async (baseUrl: string, name: string): Promise<Response> => {
  const sample = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', `${name}.json`), 'utf8')) as {
    rawPath: string;
    headers: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    body: string;
    isBase64Encoded?: boolean;
  };
  const query = new URLSearchParams(sample.queryStringParameters ?? {}).toString();
  return fetch(`${baseUrl}${sample.rawPath}${query === '' ? '' : `?${query}`}`, {
    method: 'POST',
    headers: sample.headers,
    body: Buffer.from(sample.body, sample.isBase64Encoded ? 'base64' : 'utf8'),
  });
};
