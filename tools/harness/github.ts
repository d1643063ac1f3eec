import examples from '@octokit/webhooks-examples';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { signGithub } from '../../lib/sources/github/verify';

export const DEV_SECRET = 'vigil-development-secret';

/** Every @octokit/webhooks-examples payload as [event name, index, payload]. */
export const octokitExamples = (): [string, number, Record<string, unknown>][] =>
  examples.flatMap((entry) =>
    entry.examples.map(
      (payload, index) =>
        [entry.name, index, payload as Record<string, unknown>] as [string, number, Record<string, unknown>],
    ),
  );

export const octokitExample = (
  name: string,
  pick: (payload: Record<string, unknown>) => boolean = () => true,
) => {
  const found = octokitExamples().find(([event, , payload]) => event === name && pick(payload));
  if (found === undefined) throw new Error(`no ${name} example`);
  return structuredClone(found[2]);
};

export interface GithubRequestOptions {
  readonly event?: string;
  readonly delivery?: string;
  readonly secret?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly base64?: boolean;
}

/** An API Gateway v2 event carrying a GitHub delivery, signed unless told otherwise. */
export const githubEvent = (
  body: string | Buffer,
  options: GithubRequestOptions = {},
): APIGatewayProxyEventV2 => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-GitHub-Event': options.event ?? 'push',
    'X-GitHub-Delivery': options.delivery ?? 'delivery-1',
    'X-Hub-Signature-256': signGithub(bytes, options.secret ?? DEV_SECRET),
    ...options.headers,
  };
  for (const [key, value] of Object.entries(headers)) if (value === '') delete headers[key];
  return {
    version: '2.0',
    routeKey: 'ANY /webhooks/github',
    rawPath: '/webhooks/github',
    rawQueryString: '',
    headers,
    body: options.base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: options.base64 ?? false,
    requestContext: {
      http: { method: options.method ?? 'POST', path: '/webhooks/github' },
    } as APIGatewayProxyEventV2['requestContext'],
  };
};

/** Sends a signed delivery to a running stack. */
export const postGithub = (baseUrl: string, payload: unknown, options: GithubRequestOptions = {}) => {
  const body = JSON.stringify(payload);
  const event = githubEvent(body, options);
  return fetch(`${baseUrl}/webhooks/github`, {
    method: options.method ?? 'POST',
    headers: event.headers as Record<string, string>,
    body,
  });
};
