import { alertGroupSample as alertGroup } from '../shared/alerting/samples';
import type { SourceSamples } from '../source';

/** A notification written for Vigil in Grafana alerting's documented webhook shape. */
const grafanaFiring = {
  ...alertGroup('firing'),
  version: '1',
  orgId: 1,
  title: '[FIRING:1] HighErrorRate checkout-api',
  state: 'alerting',
  message: '**Firing**\n\nValue: B=0.083',
  externalURL: 'https://grafana.acme.example/',
  alerts: [
    {
      ...alertGroup('firing').alerts[0],
      values: { B: 0.0831, C: 1 },
      silenceURL: 'https://grafana.acme.example/alerting/silence/new?matcher=alertname%3DHighErrorRate',
      dashboardURL: 'https://grafana.acme.example/d/checkout',
      panelURL: 'https://grafana.acme.example/d/checkout?viewPanel=4',
      generatorURL: 'https://grafana.acme.example/alerting/grafana/checkout-errors/view',
    },
  ],
};

export const grafanaSamples: SourceSamples = {
  credentials: (_body, secret = 'vigil-development-token') => ({
    headers: { authorization: `Bearer ${secret}` },
    query: {},
  }),
  defaultHeaders: {},
  payloads: [{ name: 'firing', payload: grafanaFiring }],
};
