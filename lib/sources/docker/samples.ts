import type { SourceSamples } from '../source';

/** Payloads written for Vigil in Docker Hub's and Docker Engine's documented shapes. */
const hubPush = {
  callback_url:
    'https://registry.hub.docker.com/u/acme/checkout-api/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
  push_data: { pushed_at: 1795435200, pusher: 'acme-ci', tag: '2.14.0' },
  repository: {
    comment_count: 0,
    date_created: 1700000000,
    description: 'Checkout API',
    is_official: false,
    is_private: true,
    is_trusted: false,
    name: 'checkout-api',
    namespace: 'acme',
    owner: 'acme',
    repo_name: 'acme/checkout-api',
    repo_url: 'https://hub.docker.com/r/acme/checkout-api',
    star_count: 3,
    status: 'Active',
  },
};

const container = (Action: string, attributes: Record<string, string>, time: number) => ({
  status: Action,
  id: '4f1bb9b2a1d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2',
  from: 'acme/checkout-api:2.14.0',
  Type: 'container',
  Action,
  Actor: {
    ID: '4f1bb9b2a1d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2',
    Attributes: {
      image: 'acme/checkout-api:2.14.0',
      name: 'checkout-api-1',
      'com.docker.compose.project': 'shop',
      ...attributes,
    },
  },
  scope: 'local',
  time,
  timeNano: time * 1e9,
  host: 'app-host-7',
});

export const dockerSamples: SourceSamples = {
  credentials: (_body, secret = 'vigil-development-token') => ({
    headers: { authorization: `Bearer ${secret}` },
    query: {},
  }),
  queryCredentials: (secret = 'vigil-development-token') => ({ headers: {}, query: { token: secret } }),
  defaultHeaders: {},
  payloads: [
    { name: 'hub-push', payload: hubPush, queryToken: true },
    {
      name: 'container-events',
      payload: [
        container('start', {}, 1795435100),
        container('die', { exitCode: '137' }, 1795435200),
        container('health_status: unhealthy', {}, 1795435210),
      ],
    },
  ],
};
