import { alertGroupSample as alertGroup } from '../shared/alerting/samples';
import type { SourceSamples } from '../source';

export const alertmanagerSamples: SourceSamples = {
  credentials: (_body, secret = 'vigil-development-token') => ({
    headers: { authorization: `Bearer ${secret}` },
    query: {},
  }),
  defaultHeaders: {},
  payloads: [
    { name: 'firing', payload: alertGroup('firing') },
    { name: 'resolved', payload: alertGroup('resolved') },
  ],
};
