/** An Alertmanager notification group (webhook_config, version 4): Grafana's webhook extends the same shape. */
export const alertGroupSample = (status: 'firing' | 'resolved') => ({
  receiver: 'vigil',
  status,
  alerts: [
    {
      status,
      labels: {
        alertname: 'HighErrorRate',
        severity: 'critical',
        service: 'checkout-api',
        instance: 'checkout-api-1:9100',
        env: 'production',
      },
      annotations: {
        summary: '5xx ratio above 5% for 10 minutes',
        runbook_url: 'https://runbooks.acme.example/checkout/high-error-rate',
      },
      startsAt: '2026-11-23T11:50:00.000Z',
      endsAt: status === 'resolved' ? '2026-11-23T12:05:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'https://prometheus.acme.example/graph?g0.expr=job%3Acheckout_5xx%3Aratio+%3E+0.05',
      fingerprint: 'c2b8f3a1d4e5f607',
    },
  ],
  groupLabels: { alertname: 'HighErrorRate', service: 'checkout-api' },
  commonLabels: {
    alertname: 'HighErrorRate',
    severity: 'critical',
    service: 'checkout-api',
    instance: 'checkout-api-1:9100',
    env: 'production',
  },
  commonAnnotations: {
    summary: '5xx ratio above 5% for 10 minutes',
    runbook_url: 'https://runbooks.acme.example/checkout/high-error-rate',
  },
  externalURL: 'https://alertmanager.acme.example',
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate", service="checkout-api"}',
  truncatedAlerts: 0,
});
