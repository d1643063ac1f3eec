import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DeliveryRecord } from '../../lib/state/store';
import { LOCAL_STATE_TABLE, STATE_TABLE, stateKeySchema } from '../../lib/state/table';
import { testStack } from '../helpers/local-stack';

const delivery: DeliveryRecord = {
  channel: 'ops',
  eventId: 'alertmanager:group-1:firing',
  source: 'alertmanager',
  kind: 'alertmanager.alert.firing',
  subject: 'alertmanager:{}:{alertname="Down"}',
  title: 'Down',
  state: 'delivered',
  attempts: 1,
  receivedAt: new Date(Date.now() - 2000).toISOString(),
  recordedAt: new Date().toISOString(),
  latencyMs: 2000,
  messageId: '1700000000000_1',
};

describe('the local stack state table', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const start = (env: Record<string, string>) => testStack(env);

  it('keeps every ledger entry and conversation across a restart, in VIGIL_STATE_DIR', async () => {
    const dir = join(tempDir(), 'nested', 'state');
    const first = await start({ VIGIL_STATE_DIR: dir });
    expect(first.state.dir).toBe(dir);
    expect(await first.state.store.recordDelivery(delivery)).toBe(true);
    expect(
      await first.state.store.putConversation('ops', delivery.subject, { parent: 'm1' }, undefined),
    ).toBe(true);
    await first.stop();
    expect(existsSync(dir)).toBe(true);

    const second = await start({ VIGIL_STATE_DIR: dir });
    try {
      expect(await second.state.store.getDelivery('ops', delivery.eventId)).toStrictEqual(delivery);
      const conversation = await second.state.store.getConversation('ops', delivery.subject);
      expect(conversation).toStrictEqual({
        value: { parent: 'm1' },
        version: 1,
        expiresAt: expect.any(Number),
      });
      // its expiry survives too: still about 90 days out
      expect((conversation?.expiresAt ?? 0) - Date.now() / 1000).toBeGreaterThan(89 * 86_400);
      // the restarted stack's sender still refuses to record the delivery twice
      expect(await second.state.store.recordDelivery(delivery)).toBe(false);
    } finally {
      await second.stop();
    }
  }, 30_000);

  it('creates the table with the key schema serverless.yml declares', async () => {
    const stack = await start({});
    try {
      const { Table } = await stack.state.client.send(
        new DescribeTableCommand({ TableName: LOCAL_STATE_TABLE }),
      );
      expect(Table?.KeySchema).toEqual(stateKeySchema());
      expect(Table?.BillingModeSummary?.BillingMode ?? STATE_TABLE.billingMode).toBe('PAY_PER_REQUEST');
    } finally {
      await stack.stop();
    }
  });

  it('keeps a test stack without VIGIL_STATE_DIR in memory, so stacks started side by side never share', async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    try {
      expect(a.state.dir).toBeUndefined();
      expect(a.state.endpoint).not.toBe(b.state.endpoint);
      expect(await a.state.store.recordDelivery(delivery)).toBe(true);
      expect(await b.state.store.getDelivery('ops', delivery.eventId)).toBeUndefined();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
