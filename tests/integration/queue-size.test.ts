import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { MAX_MESSAGE_BYTES } from '../../lib/queue/size';
import { type CliqStandIn, cliqViolations } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import { testStackWithCliq } from '../helpers/local-stack';
import { postSource } from '../helpers/sources';

const ALERTS = 30;

/**
 * A Grafana group whose text is Japanese: every string within the schema's character bounds, the whole
 * several times SQS's 262,144 bytes (3 bytes a character), as SQS counts it (Amazon SQS API Reference,
 * SendMessage: MaximumMessageSize, in bytes).
 */
const multibyteGroup = () => {
  const alerts = Array.from({ length: ALERTS }, (_, i) => {
    const url = (kind: string) => `https://grafana.example.jp/${kind}/${'監視'.repeat(900)}?alert=${i}`;
    return {
      status: 'firing',
      labels: { alertname: `高負荷${i}`, severity: 'critical', instance: `サーバー${'名'.repeat(240)}${i}` },
      annotations: { summary: `応答時間が長すぎます。${'遅'.repeat(380)}` },
      startsAt: '2026-11-23T11:50:00Z',
      generatorURL: url('alerting'),
      silenceURL: url('silence'),
      dashboardURL: url('d'),
      panelURL: url('panel'),
      valueString: `[ metric='レイテンシ' value=${'九'.repeat(180)} ]`,
      fingerprint: `f${i}`,
    };
  });
  return JSON.stringify({
    receiver: 'vigil',
    status: 'firing',
    alerts,
    groupLabels: { alertname: '高負荷' },
    commonLabels: { severity: 'critical', team: '運用チーム' },
    commonAnnotations: {},
    externalURL: 'https://grafana.example.jp/',
    version: '1',
    groupKey: '{}:{alertname="高負荷"}',
    truncatedAlerts: 0,
    title: '[FIRING:30] 高負荷',
    state: 'alerting',
  });
};

describe('a message larger in bytes than SQS takes', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;

  beforeAll(async () => {
    ({ cliq, stack } = await testStackWithCliq({ CLIQ_POSTS_PER_MINUTE: '600' }));
  });
  afterAll(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('is queued with fewer alerts listed and delivered with "…and N more"', async () => {
    const body = multibyteGroup();
    expect(Buffer.byteLength(body)).toBeGreaterThan(2 * MAX_MESSAGE_BYTES);

    const response = await postSource(stack.url, 'grafana', body);
    expect(response.status).toBe(202);
    await stack.waitForIdle();

    const [message] = cliq.messages('ops') as {
      slides: { type: string; data: { rows?: Record<string, string>[] } }[];
    }[];
    expect(message).toBeDefined();
    expect(cliqViolations(message)).toEqual([]);
    const rows = message?.slides.find((slide) => slide.type === 'table')?.data.rows ?? [];
    const listed = rows.length - 1;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(20);
    expect(rows.at(-1)?.Alert).toBe(`…and ${ALERTS - listed} more`);
    expect(
      await stack.queues.client.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.dlqUrl })),
    ).not.toHaveProperty('Messages');
  }, 30_000);
});
