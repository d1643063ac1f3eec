import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Item } from './dynamo-items';
import { LEDGER_TTL_SECONDS } from './store';
import { STATE_TABLE } from './table';

/**
 * Where the outbox (lib/outbox) keeps what waits for each Cliq owner: opaque JSON parts (its head and its
 * chunks) in one partition per owner, and one index item per owner with something waiting, so the
 * scheduled tick finds them with one Query. Only the owner's sender writes an owner's parts (one FIFO
 * group per owner); the index is written by the same sender.
 */
export interface OutboxStore {
  /** Every part of one owner's outbox, by name. Strongly consistent. */
  readOutbox(owner: string): Promise<Map<string, string>>;
  writeOutboxPart(owner: string, part: string, value: string): Promise<void>;
  deleteOutboxPart(owner: string, part: string): Promise<void>;
  /** Records that `owner` has events waiting (the first due at `dueAt`, epoch ms), or nothing (undefined). */
  markWaiting(owner: string, waiting: { count: number; dueAt: number } | undefined): Promise<void>;
  /** Owners with events waiting. */
  waitingOwners(): AsyncIterable<{ owner: string; count: number; dueAt: number }>;
}

/** Parts outlive the longest wait (a daily digest, a weekend's quiet hours) and are written anew at each change. */
export const OUTBOX_TTL_SECONDS = LEDGER_TTL_SECONDS;

const { partitionKey: PK, sortKey: SK, ttlAttribute: TTL } = STATE_TABLE;
const OWNERS = 'outbox-owners';
const s = (value: string) => ({ S: value });
const n = (value: number) => ({ N: String(value) });
const partKey = (owner: string, part: string): Item => ({
  [PK]: s(`outbox#${owner}`),
  [SK]: s(`part#${part}`),
});
const ownerKey = (owner: string): Item => ({ [PK]: s(OWNERS), [SK]: s(`owner#${owner}`) });

/** Every page of a Query on one partition. */
const queryAll = async function* (client: DynamoDBClient, TableName: string, partition: string) {
  let start: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': s(partition) },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
};

export const dynamoOutboxStore = (options: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now?: () => number;
}): OutboxStore => {
  const { client, tableName: TableName } = options;
  const now = options.now ?? Date.now;
  const expires = () => n(Math.floor(now() / 1000) + OUTBOX_TTL_SECONDS);
  const live = (item: Item) => Number(item[TTL]?.N ?? 0) > Math.floor(now() / 1000);
  return {
    async readOutbox(owner) {
      const parts = new Map<string, string>();
      for await (const item of queryAll(client, TableName, `outbox#${owner}`)) {
        const name = item[SK]?.S?.replace(/^part#/, '');
        const value = item.value?.S;
        if (name !== undefined && value !== undefined && live(item)) parts.set(name, value);
      }
      return parts;
    },
    async writeOutboxPart(owner, part, value) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: { ...partKey(owner, part), owner: s(owner), value: s(value), [TTL]: expires() },
        }),
      );
    },
    async deleteOutboxPart(owner, part) {
      await client.send(new DeleteItemCommand({ TableName, Key: partKey(owner, part) }));
    },
    async markWaiting(owner, waiting) {
      if (waiting === undefined) {
        await client.send(new DeleteItemCommand({ TableName, Key: ownerKey(owner) }));
        return;
      }
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...ownerKey(owner),
            owner: s(owner),
            count: n(waiting.count),
            dueAt: n(waiting.dueAt),
            [TTL]: expires(),
          },
        }),
      );
    },
    async *waitingOwners() {
      for await (const item of queryAll(client, TableName, OWNERS)) {
        const owner = item.owner?.S;
        if (owner === undefined || !live(item)) continue;
        yield { owner, count: Number(item.count?.N ?? 0), dueAt: Number(item.dueAt?.N ?? 0) };
      }
    },
  };
};

/** The same in one process's memory (tests of logic). */
export const memoryOutboxStore = (): OutboxStore => {
  const parts = new Map<string, Map<string, string>>();
  const owners = new Map<string, { count: number; dueAt: number }>();
  return {
    async readOutbox(owner) {
      return new Map(parts.get(owner) ?? []);
    },
    async writeOutboxPart(owner, part, value) {
      const mine = parts.get(owner) ?? new Map<string, string>();
      mine.set(part, value);
      parts.set(owner, mine);
    },
    async deleteOutboxPart(owner, part) {
      parts.get(owner)?.delete(part);
    },
    async markWaiting(owner, waiting) {
      if (waiting === undefined) owners.delete(owner);
      else owners.set(owner, { ...waiting });
    },
    async *waitingOwners() {
      for (const [owner, waiting] of [...owners]) yield { owner, ...waiting };
    },
  };
};
