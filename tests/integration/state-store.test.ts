import { dynamoStateStore } from '../../lib/state/dynamo-store';
import { memoryStateStore } from '../../lib/state/memory-store';
import {
  CONVERSATION_TTL_SECONDS,
  type DeliveryFilter,
  type DeliveryRecord,
  LEDGER_TTL_SECONDS,
  type StateStore,
} from '../../lib/state/store';
import { type LocalState, localDynamoClient, startLocalState } from '../../tools/local/dynamo-server';
import { ensureStateTable } from '../../tools/local/state-table';

/**
 * One contract, two stores: the in-memory store the logic tests use must behave as the DynamoDB store does
 * over a real DynamoDB server (dynalite, the DynamoDB wire protocol, on loopback).
 * Semantics followed:
 * - conditional writes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 *   (a failed condition writes nothing and answers ConditionalCheckFailedException);
 * - TTL: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html ("items that have
 *   expired, but haven't yet been deleted by TTL, still appear in reads, queries, and scans"), so the store
 *   treats them as absent itself;
 * - strongly consistent reads: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */

const START = Date.parse('2026-12-01T09:00:00Z');

interface Backend {
  /** A store over the backend's data at the given clock; two calls are two containers sharing the data. */
  store(now: () => number): StateStore;
}

let server: LocalState;
let tables = 0;

beforeAll(async () => {
  server = await startLocalState({ port: 0, host: '127.0.0.1', tableName: 'vigil-contract-state' });
});
afterAll(() => server.stop());

const backends: [string, () => Promise<Backend>][] = [
  [
    'memory store',
    async () => {
      let shared: StateStore | undefined;
      let clock: () => number = Date.now;
      return {
        store(now) {
          clock = now;
          shared ??= memoryStateStore(() => clock());
          return shared;
        },
      };
    },
  ],
  [
    'DynamoDB store (dynalite)',
    async () => {
      // a fresh table per test, so no test sees another's items; small pages so listing crosses pages
      tables += 1;
      const tableName = `vigil-contract-${tables}`;
      await ensureStateTable(server.client, tableName);
      return {
        store: (now) =>
          dynamoStateStore({ client: localDynamoClient(server.endpoint), tableName, now, pageSize: 3 }),
      };
    },
  ],
];

const record = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  channel: 'ops',
  eventId: 'github:delivery-1',
  source: 'github',
  kind: 'github.pull_request.opened',
  subject: 'github:acme/api#pr:7',
  title: 'Add retries',
  state: 'delivered',
  attempts: 1,
  receivedAt: '2026-12-01T09:00:00.000Z',
  recordedAt: '2026-12-01T09:00:01.250Z',
  latencyMs: 1250,
  messageId: '1700000000000_1',
  ...overrides,
});

const collect = async (store: StateStore, filter: DeliveryFilter) => {
  const out: DeliveryRecord[] = [];
  for await (const entry of store.listDeliveries(filter)) out.push(entry);
  return out;
};

describe.each(backends)('%s', (_name, backendFor) => {
  let clock: number;
  let store: StateStore;
  let other: StateStore;

  beforeEach(async () => {
    clock = START;
    const backend = await backendFor();
    store = backend.store(() => clock);
    other = backend.store(() => clock);
  });

  describe('the delivery ledger', () => {
    it('knows nothing of an event it never recorded', async () => {
      expect(await store.getDelivery('ops', 'github:never')).toBeUndefined();
    });

    it('gives back exactly what was recorded, with and without the optional fields', async () => {
      const full = record({ threadMessageId: '1699999999999_9', title: 'Ünïcode ✓ and "quotes"' });
      const bare = record({ eventId: 'github:delivery-2', state: 'dead_lettered', title: '' });
      const { messageId: _id, ...withoutMessage } = bare;
      const dead = { ...withoutMessage, reason: 'cliq_rejected' };
      expect(await store.recordDelivery(full)).toBe(true);
      expect(await store.recordDelivery(dead)).toBe(true);
      expect(await store.getDelivery('ops', full.eventId)).toStrictEqual(full);
      expect(await store.getDelivery('ops', dead.eventId)).toStrictEqual(dead);
    });

    it.each(['delivered', 'digested'] as const)(
      'refuses a second record of an event already %s in that channel, keeping the first',
      async (state) => {
        const first = record({ state, messageId: 'first' });
        expect(await store.recordDelivery(first)).toBe(true);
        expect(await other.recordDelivery(record({ messageId: 'second', attempts: 2 }))).toBe(false);
        expect(await store.getDelivery('ops', first.eventId)).toStrictEqual(first);
      },
    );

    it('keeps the same event apart per channel', async () => {
      expect(await store.recordDelivery(record())).toBe(true);
      expect(await store.recordDelivery(record({ channel: 'dev' }))).toBe(true);
      expect((await store.getDelivery('dev', record().eventId))?.channel).toBe('dev');
    });

    it('lets a dead-lettered event be recorded again once it is redriven and delivered', async () => {
      expect(await store.recordDelivery(record({ state: 'dead_lettered', reason: 'cliq_rejected' }))).toBe(
        true,
      );
      expect(await other.recordDelivery(record({ attempts: 3, messageId: 'redriven' }))).toBe(true);
      expect(await store.getDelivery('ops', record().eventId)).toMatchObject({
        state: 'delivered',
        messageId: 'redriven',
      });
      expect(await store.recordDelivery(record({ messageId: 'again' }))).toBe(false);
    });

    it('remembers a delivery for its whole lifetime, then treats it as absent and may record it again', async () => {
      expect(await store.recordDelivery(record())).toBe(true);
      clock = START + (LEDGER_TTL_SECONDS - 1) * 1000;
      expect(await store.getDelivery('ops', record().eventId)).toBeDefined();
      expect(await store.recordDelivery(record({ messageId: 'late' }))).toBe(false);
      clock = START + LEDGER_TTL_SECONDS * 1000;
      expect(await store.getDelivery('ops', record().eventId)).toBeUndefined();
      expect(await collect(store, {})).toEqual([]);
      expect(await store.recordDelivery(record({ messageId: 'after expiry' }))).toBe(true);
      expect((await store.getDelivery('ops', record().eventId))?.messageId).toBe('after expiry');
    });

    it('lets only one of two containers racing to record the same event win', async () => {
      for (let round = 0; round < 10; round += 1) {
        const eventId = `github:race-${round}`;
        const results = await Promise.all([
          store.recordDelivery(record({ eventId, messageId: 'a' })),
          other.recordDelivery(record({ eventId, messageId: 'b' })),
          other.recordDelivery(record({ eventId, messageId: 'c' })),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = ['a', 'b', 'c'][results.indexOf(true)];
        expect((await store.getDelivery('ops', eventId))?.messageId).toBe(winner);
      }
    });
  });

  describe('listing the ledger', () => {
    const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
    beforeEach(async () => {
      const entries = [
        record({ eventId: 'e1', recordedAt: at(1), subject: 'github:acme/api#pr:7' }),
        record({ eventId: 'e2', recordedAt: at(5), subject: 'github:acme/api#pr:8', channel: 'dev' }),
        record({ eventId: 'e3', recordedAt: at(3), subject: 'github:acme/web#pr:7', state: 'digested' }),
        record({ eventId: 'e4', recordedAt: at(9), subject: 'alertmanager:{}:{alertname="Down"}' }),
        record({ eventId: 'e5', recordedAt: at(7), subject: 'github:acme/api#workflow:ci@main' }),
        record({ eventId: 'e6', recordedAt: at(2), subject: 'github:acme/api#pr:7', channel: 'dev' }),
        record({
          eventId: 'e7',
          recordedAt: at(4),
          subject: 'sentry:acme/api#issue:42',
          state: 'dead_lettered',
        }),
      ];
      for (const entry of entries) expect(await store.recordDelivery(entry)).toBe(true);
      // a conversation is not a ledger entry and is never listed
      expect(await store.putConversation('ops', 'github:acme/api#pr:7', { parent: 'm1' }, undefined)).toBe(
        true,
      );
    });
    const ids = async (filter: DeliveryFilter) =>
      (await collect(store, filter)).map((entry) => entry.eventId);

    it('lists every channel newest first', async () => {
      expect(await ids({})).toEqual(['e4', 'e5', 'e2', 'e7', 'e3', 'e6', 'e1']);
    });

    it('lists only what was recorded at or after `since`', async () => {
      expect(await ids({ since: new Date(at(4)) })).toEqual(['e4', 'e5', 'e2', 'e7']);
    });

    it('matches the subject glob over the whole key, `*` any run and `?` one character', async () => {
      expect(await ids({ subject: 'github:acme/api#*' })).toEqual(['e5', 'e2', 'e6', 'e1']);
      expect(await ids({ subject: 'github:acme/*#pr:7' })).toEqual(['e3', 'e6', 'e1']);
      expect(await ids({ subject: 'github:acme/api#pr:?' })).toEqual(['e2', 'e6', 'e1']);
      expect(await ids({ subject: 'alertmanager:{}:{alertname="Down"}' })).toEqual(['e4']);
      expect(await ids({ subject: 'github:acme/api' })).toEqual([]);
    });

    it('lists one channel, combined with the other filters', async () => {
      expect(await ids({ channel: 'dev' })).toEqual(['e2', 'e6']);
      expect(await ids({ channel: 'ops', since: new Date(at(3)), subject: 'github:*' })).toEqual([
        'e5',
        'e3',
      ]);
      expect(await ids({ channel: 'nowhere' })).toEqual([]);
    });

    it('leaves expired entries out', async () => {
      clock = START + LEDGER_TTL_SECONDS * 1000 + 4 * 60_000;
      await store.recordDelivery(record({ eventId: 'fresh', recordedAt: new Date(clock).toISOString() }));
      expect(await ids({})).toEqual(['fresh']);
      expect(await ids({ channel: 'ops' })).toEqual(['fresh']);
    });
  });

  describe('conversations', () => {
    const subject = 'github:acme/api#pr:7';

    it('has none for a subject never written', async () => {
      expect(await store.getConversation('ops', subject)).toBeUndefined();
    });

    it('writes version 1 first, then one more per put that names the current version', async () => {
      const first = { parent: '1700000000000_1', title: 'Add retries ✓', history: [1, 2, { nested: null }] };
      expect(await store.putConversation('ops', subject, first, undefined)).toBe(true);
      expect(await store.getConversation('ops', subject)).toStrictEqual({
        value: first,
        version: 1,
        expiresAt: expect.any(Number),
      });
      expect(await store.putConversation('ops', subject, { parent: 'x' }, 1)).toBe(true);
      expect(await store.getConversation('ops', subject)).toStrictEqual({
        value: { parent: 'x' },
        version: 2,
        expiresAt: expect.any(Number),
      });
    });

    it('refuses a put whose expected version is not the stored one, writing nothing', async () => {
      expect(await store.putConversation('ops', subject, { n: 1 }, undefined)).toBe(true);
      expect(await other.putConversation('ops', subject, { n: 'again' }, undefined)).toBe(false);
      expect(await other.putConversation('ops', subject, { n: 'stale' }, 0)).toBe(false);
      expect(await other.putConversation('ops', subject, { n: 'ahead' }, 2)).toBe(false);
      expect(await store.getConversation('ops', subject)).toStrictEqual({
        value: { n: 1 },
        version: 1,
        expiresAt: expect.any(Number),
      });
      expect(await store.putConversation('ops', 'github:acme/api#pr:8', { n: 1 }, 1)).toBe(false);
      expect(await store.getConversation('ops', 'github:acme/api#pr:8')).toBeUndefined();
    });

    it('keeps one subject apart per channel', async () => {
      expect(await store.putConversation('ops', subject, { parent: 'ops-1' }, undefined)).toBe(true);
      expect(await store.putConversation('dev', subject, { parent: 'dev-1' }, undefined)).toBe(true);
      expect((await store.getConversation('dev', subject))?.value).toEqual({ parent: 'dev-1' });
    });

    it('forgets a quiet conversation after its lifetime: a new one starts at version 1 over the old', async () => {
      expect(await store.putConversation('ops', subject, { parent: 'old' }, undefined)).toBe(true);
      clock = START + (CONVERSATION_TTL_SECONDS - 1) * 1000;
      expect((await store.getConversation('ops', subject))?.version).toBe(1);
      clock = START + CONVERSATION_TTL_SECONDS * 1000;
      expect(await store.getConversation('ops', subject)).toBeUndefined();
      expect(await store.putConversation('ops', subject, { parent: 'stale' }, 1)).toBe(false);
      expect(await store.putConversation('ops', subject, { parent: 'new' }, undefined)).toBe(true);
      expect(await store.getConversation('ops', subject)).toStrictEqual({
        value: { parent: 'new' },
        version: 1,
        expiresAt: expect.any(Number),
      });
    });

    it('each put extends the lifetime', async () => {
      expect(await store.putConversation('ops', subject, { n: 1 }, undefined)).toBe(true);
      clock = START + (CONVERSATION_TTL_SECONDS - 10) * 1000;
      expect(await store.putConversation('ops', subject, { n: 2 }, 1)).toBe(true);
      clock = START + (CONVERSATION_TTL_SECONDS + 10) * 1000;
      // the store says when it forgets the item, so a reader can write back a state that is getting old
      expect(await store.getConversation('ops', subject)).toStrictEqual({
        value: { n: 2 },
        version: 2,
        expiresAt: Math.floor(START / 1000) + 2 * CONVERSATION_TTL_SECONDS - 10,
      });
    });

    it('lets only one of two writers racing from the same version win, every round', async () => {
      expect(await store.putConversation('ops', subject, { writer: 'none' }, undefined)).toBe(true);
      for (let version = 1; version <= 10; version += 1) {
        const results = await Promise.all([
          store.putConversation('ops', subject, { writer: 'a', version }, version),
          other.putConversation('ops', subject, { writer: 'b', version }, version),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await other.getConversation('ops', subject)).toStrictEqual({
          value: { writer: results[0] ? 'a' : 'b', version },
          version: version + 1,
          expiresAt: expect.any(Number),
        });
      }
    });

    it('keeps subjects longer than a DynamoDB sort key apart', async () => {
      const long = `github:acme/api#workflow:ci@${'ä'.repeat(600)}`;
      expect(await store.putConversation('ops', `${long}1`, { n: 1 }, undefined)).toBe(true);
      expect(await store.putConversation('ops', `${long}2`, { n: 2 }, undefined)).toBe(true);
      expect((await store.getConversation('ops', `${long}1`))?.value).toEqual({ n: 1 });
      expect((await store.getConversation('ops', `${long}2`))?.value).toEqual({ n: 2 });
    });
  });
});
