import { createHmac } from 'node:crypto';
import type { VigilEvent } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { deliveryKey } from '../../lib/sender/ledger';
import { githubEvent, octokitExample } from '../../tools/harness/github';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

const queuedEvents = (bodies: readonly { body: string }[]): VigilEvent[] =>
  bodies.map((message) => {
    const parsed = parseQueuedMessage(message.body);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value.event;
  });

const grafanaBody = JSON.stringify({
  receiver: 'vigil',
  status: 'firing',
  groupKey: '{}:{alertname="HighLatency"}',
  alerts: [{ status: 'firing', labels: { alertname: 'HighLatency' }, startsAt: '2026-11-23T11:00:00Z' }],
});

describe('deliveryKey', () => {
  it('keys a signed delivery on its identity, so a replay under a new id finds the ledger entry of the first', async () => {
    const { call, queued } = ingestFor('github');
    const push = JSON.stringify(octokitExample('push', (p) => p.ref === 'refs/heads/master'));
    await call(githubEvent(push, { delivery: 'captured' }));
    await call(githubEvent(push, { delivery: 'replayed' }));
    const [first, replay] = queuedEvents(queued);
    expect(replay?.id).not.toBe(first?.id);
    expect(deliveryKey(replay as VigilEvent)).toBe(deliveryKey(first as VigilEvent));
    expect(deliveryKey(first as VigilEvent)).toMatch(/^github:sha256:[0-9a-f]{64}$/);
  });

  it('keys an alert group without a signed timestamp on its state and receipt time, so a reminder posts', async () => {
    const { call, queued } = ingestFor('grafana');
    await call(sourceEvent('grafana', grafanaBody));
    const [event] = queuedEvents(queued);
    expect(deliveryKey(event as VigilEvent)).toBe(`${event?.id}@${event?.receivedAt}`);
  });

  it('keys a Grafana notification with a signed timestamp on what was signed, without its receipt time', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const { call, queued } = ingestFor('grafana', {
      now: () => now,
      secrets: {
        GRAFANA_HMAC_SECRET: 'grafana-hmac',
        ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=t',
      },
    });
    const ts = String(now.getTime() / 1000);
    const signature = createHmac('sha256', 'grafana-hmac').update(`${ts}:${grafanaBody}`).digest('hex');
    const headers = { 'x-grafana-alerting-signature': signature, 'x-grafana-alerting-timestamp': ts };
    expect((await call(sourceEvent('grafana', grafanaBody, { unauthenticated: true, headers }))).status).toBe(
      202,
    );
    const [event] = queuedEvents(queued);
    expect(deliveryKey(event as VigilEvent)).toBe(event?.identity);
    expect(deliveryKey(event as VigilEvent)).not.toContain('@');
  });
});
