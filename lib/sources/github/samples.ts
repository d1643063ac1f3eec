import type { SourceSamples } from '../source';
import { signGithub } from './verify';

/** GitHub's samples come from @octokit/webhooks-examples (scripts/make-events.ts); here is how to sign them. */
export const githubSamples: SourceSamples = {
  credentials: (body, secret = 'vigil-development-secret') => ({
    headers: { 'x-hub-signature-256': signGithub(body, secret) },
    query: {},
  }),
  defaultHeaders: { 'x-github-event': 'push', 'x-github-delivery': 'delivery-1' },
  payloads: [],
};
