import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dynamoStateStore } from '../../lib/state/dynamo-store';
import type { DeliveryRecord } from '../../lib/state/store';
import { LOCAL_STATE_TABLE } from '../../lib/state/table';
import { type LocalState, startLocalState } from '../../tools/local/dynamo-server';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const { DYNAMODB_ENDPOINT: _endpoint, ...inherited } = process.env;

describe('npm run deliveries against the local DynamoDB', () => {
  let state: LocalState;
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const entry = (
    eventId: string,
    minutes: number,
    overrides: Partial<DeliveryRecord> = {},
  ): DeliveryRecord => ({
    channel: 'ops',
    eventId,
    source: 'github',
    kind: 'github.workflow_run.completed',
    subject: 'github:acme/api#workflow:ci@main',
    title: 'CI failed',
    state: 'delivered',
    attempts: 1,
    receivedAt: minutesAgo(minutes),
    recordedAt: minutesAgo(minutes),
    latencyMs: 1300,
    messageId: `msg-${eventId}`,
    ...overrides,
  });
  const deliveries = async (...args: string[]) =>
    run(process.execPath, ['-r', 'esbuild-register', 'scripts/deliveries.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, DYNAMODB_PORT: new URL(state.endpoint).port },
      timeout: 60_000,
    });
  const listed = async (...args: string[]) =>
    (
      JSON.parse((await deliveries(...args, '--json')).stdout) as { deliveries: DeliveryRecord[] }
    ).deliveries.map((record) => record.eventId);

  beforeAll(async () => {
    state = await startLocalState({ port: 0, host: '127.0.0.1', tableName: LOCAL_STATE_TABLE });
    const store = dynamoStateStore({ client: state.client, tableName: LOCAL_STATE_TABLE });
    const entries = [
      (({ messageId: _none, ...dead }) => dead)(
        entry('run-1', 180, {
          state: 'dead_lettered',
          attempts: 25,
          reason: 'cliq_rejected',
          latencyMs: 4 * 3_600_000,
        }),
      ),
      entry('run-2', 90, { state: 'digested', messageId: 'digest-1' }),
      entry('run-3', 20, { attempts: 3, latencyMs: 245_000 }),
      entry('pr-7', 10, {
        subject: 'github:acme/api#pr:7',
        kind: 'github.pull_request.opened',
        channel: 'dev',
      }),
    ];
    for (const record of entries) await store.recordDelivery(record);
  });
  afterAll(() => state.stop());

  it('lists every delivery newest first as JSON, with state, attempts, latency and Cliq message id', async () => {
    const { deliveries: all } = JSON.parse((await deliveries('--json')).stdout) as {
      deliveries: DeliveryRecord[];
    };
    expect(all.map((record) => record.eventId)).toEqual(['pr-7', 'run-3', 'run-2', 'run-1']);
    expect(all[1]).toMatchObject({
      state: 'delivered',
      attempts: 3,
      latencyMs: 245_000,
      messageId: 'msg-run-3',
    });
    expect(all[3]).toMatchObject({ state: 'dead_lettered', reason: 'cliq_rejected' });
  }, 60_000);

  it('filters by --since (a duration or an ISO time), --subject glob and --channel', async () => {
    expect(await listed('--since', '1h')).toEqual(['pr-7', 'run-3']);
    expect(await listed('--since', minutesAgo(100))).toEqual(['pr-7', 'run-3', 'run-2']);
    expect(await listed('--subject', 'github:acme/api#workflow:*', '--since', '2h')).toEqual([
      'run-3',
      'run-2',
    ]);
    expect(await listed('--channel', 'dev')).toEqual(['pr-7']);
  }, 60_000);

  it('prints a table people can read by default', async () => {
    const { stdout } = await deliveries('--channel', 'ops');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('3 deliveries: 1 delivered, 1 digested, 1 dead-lettered, 0 unchanged');
    expect(lines[1]).toMatch(
      /^RECORDED \(UTC\)\s+STATE\s+CHANNEL\s+TRIES\s+LATENCY\s+CLIQ MESSAGE\s+KIND\s+SUBJECT\s+EVENT$/,
    );
    expect(lines[2]).toMatch(
      / delivered\s+ops\s+3\s+4m05s\s+msg-run-3\s+github\.workflow_run\.completed\s+github:acme\/api#workflow:ci@main\s+run-3$/,
    );
    expect(lines[4]).toMatch(/ dead-lettered\s+ops\s+25\s+4h00m\s+\(cliq_rejected\)/);
  }, 60_000);

  it('refuses a --since it cannot read, saying what it takes', async () => {
    const failure = await deliveries('--since', 'yesterday').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('--since takes a duration (30m, 1h, 2d) or an ISO time');
  }, 60_000);
});
