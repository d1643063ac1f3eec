import { signGithub } from '../lib/sources/github/verify';
import { octokitExamples } from '../tools/harness/github';

export const SECRET = 'bench-secret';
export const CLIQ_URL = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=bench';

export type CaseName = 'smallest' | 'median' | 'largest';

export interface Case {
  readonly case: CaseName;
  /** The GitHub event name (X-GitHub-Event) the example was recorded under. */
  readonly event: string;
  readonly body: string;
}

/** The smallest, median and largest of every example payload GitHub documents, by serialized size. */
export const cases = (): Case[] => {
  const all = octokitExamples()
    .map(([event, , payload]) => ({ event, body: JSON.stringify(payload) }))
    .sort((a, b) => a.body.length - b.body.length);
  const pick = (name: CaseName, index: number): Case => {
    const found = all[index];
    if (found === undefined) throw new Error('@octokit/webhooks-examples has no examples');
    return { case: name, ...found };
  };
  return [pick('smallest', 0), pick('median', Math.floor(all.length / 2)), pick('largest', all.length - 1)];
};

export const githubHeaders = (event: string, body: string, delivery: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-github-event': event,
  'x-github-delivery': delivery,
  'x-hub-signature-256': signGithub(body, SECRET),
});

/** The API Gateway (HTTP API, payload v2) event a Lambda receives for a GitHub delivery. */
export const apiGatewayEvent = (c: Case) => ({
  version: '2.0',
  routeKey: 'ANY /webhooks/github',
  rawPath: '/webhooks/github',
  rawQueryString: '',
  headers: githubHeaders(c.event, c.body, '72d3162e-cc78-11e3-81ab-4c9367dc0958'),
  body: c.body,
  isBase64Encoded: false,
  requestContext: { http: { method: 'POST', path: '/webhooks/github' } },
});
