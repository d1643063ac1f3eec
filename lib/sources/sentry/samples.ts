import { createHmac } from 'node:crypto';
import type { SourceSamples } from '../source';

/** Payloads written for Vigil in Sentry's documented shapes (the shared corpus holds real captures). */
const now = '2026-11-23T12:00:00.000Z';

const sentryIssue = {
  action: 'created',
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
  actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  data: {
    issue: {
      id: '1170820242',
      shortId: 'CHECKOUT-API-4K',
      title: "TypeError: Cannot read properties of undefined (reading 'total')",
      culprit: 'src/cart/price.ts in computeTotal',
      level: 'error',
      status: 'unresolved',
      count: '58',
      userCount: 41,
      project: { id: '2', name: 'checkout-api', slug: 'checkout-api', platform: 'node' },
      web_url: 'https://acme.sentry.io/issues/1170820242/',
      firstSeen: now,
      lastSeen: now,
    },
  },
};

const sentryMetric = {
  action: 'critical',
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
  actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  data: {
    description_title: 'Critical: p95 latency of checkout',
    description_text: '2100ms p95 in the last 10 minutes\nThreshold: 1500ms',
    web_url: 'https://acme.sentry.io/alerts/rules/details/12/',
    metric_alert: {
      title: 'p95 latency of checkout',
      status: 20,
      alert_rule: {
        name: 'p95 latency of checkout',
        aggregate: 'p95(transaction.duration)',
        query: 'transaction:/checkout',
        time_window: 10,
        projects: ['checkout-api'],
        environment: 'production',
      },
    },
  },
};

const sentryLegacy = {
  id: '1170820242',
  project: 'checkout-api',
  project_name: 'checkout-api',
  project_slug: 'checkout-api',
  level: 'error',
  culprit: 'src/cart/price.ts in computeTotal',
  message: "Cannot read properties of undefined (reading 'total')",
  url: 'https://acme.sentry.io/issues/1170820242/',
  triggering_rules: ['Errors in checkout'],
  event: {
    title: "TypeError: Cannot read properties of undefined (reading 'total')",
    environment: 'production',
    release: 'checkout-api@2.14.0',
    tags: [
      ['environment', 'production'],
      ['release', 'checkout-api@2.14.0'],
    ],
  },
};

export const sentrySamples: SourceSamples = {
  credentials: (body, secret = 'vigil-development-secret') => ({
    headers: { 'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex') },
    query: {},
  }),
  queryCredentials: (secret = 'vigil-development-token') => ({ headers: {}, query: { token: secret } }),
  defaultHeaders: { 'sentry-hook-resource': 'issue', 'request-id': 'a'.repeat(32) },
  payloads: [
    {
      name: 'issue-created',
      payload: sentryIssue,
      headers: { 'sentry-hook-resource': 'issue', 'request-id': 'c4a8b2d6e0f14a3b9c7d5e1f2a3b4c5d' },
    },
    {
      name: 'metric_alert-critical',
      payload: sentryMetric,
      headers: { 'sentry-hook-resource': 'metric_alert', 'request-id': 'd5b9c3e7f1a25b4c0d8e6f2a3b4c5d6e' },
    },
    { name: 'legacy-plugin', payload: sentryLegacy, queryToken: true },
  ],
};
