import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  conversationFromItem,
  conversationItem,
  conversationKey,
  deliveryFromItem,
  deliveryItem,
  expiresAt,
  type Item,
  LEDGER_PREFIX,
  ledgerKey,
  ledgerPartition,
} from './dynamo-items';
import {
  CONVERSATION_TTL_SECONDS,
  type DeliveryFilter,
  type DeliveryRecord,
  deliveryFilter,
  LEDGER_TTL_SECONDS,
  type StateStore,
} from './store';
import { STATE_TABLE } from './table';

export interface DynamoStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Milliseconds since the epoch; tests move it to expire items. */
  readonly now?: () => number;
  /** Items per Scan/Query page (DynamoDB's 1 MB page by default); tests make it small to cross pages. */
  readonly pageSize?: number;
}

const NAMES = { '#pk': STATE_TABLE.partitionKey, '#ttl': STATE_TABLE.ttlAttribute };

/** A conditional write that lost: DynamoDB answers ConditionalCheckFailedException and writes nothing. */
const conditional = async (write: Promise<unknown>): Promise<boolean> =>
  write.then(
    () => true,
    (error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    },
  );

/**
 * The state store over one DynamoDB table (lib/state/table.ts). Every read is strongly consistent; an item
 * past its `expiresAt` counts as absent on read and may be overwritten, since DynamoDB's TTL deletes expired
 * items only eventually (and the local server not at all).
 */
export const dynamoStateStore = (options: DynamoStateStoreOptions): StateStore => {
  const { client, tableName: TableName } = options;
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  const live = (item: Item | undefined): Item | undefined =>
    item !== undefined && expiresAt(item) > nowSeconds() ? item : undefined;
  const get = async (Key: Item) =>
    live((await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item);

  /** Live ledger items, one channel's partition by Query or the whole table by Scan; filters run in DynamoDB. */
  const ledgerItems = async function* (filter: DeliveryFilter): AsyncGenerator<Item> {
    const values: Item = { ':now': { N: String(nowSeconds()) } };
    const conditions = ['#ttl > :now'];
    if (filter.since !== undefined) {
      values[':since'] = { N: String(filter.since.getTime()) };
      conditions.push('recordedAtMs >= :since');
    }
    const page = {
      TableName,
      ConsistentRead: true,
      ExpressionAttributeNames: NAMES,
      Limit: options.pageSize,
    };
    let start: Item | undefined;
    do {
      const answer =
        filter.channel === undefined
          ? await client.send(
              new ScanCommand({
                ...page,
                FilterExpression: ['begins_with(#pk, :ledger)', ...conditions].join(' AND '),
                ExpressionAttributeValues: { ...values, ':ledger': { S: LEDGER_PREFIX } },
                ExclusiveStartKey: start,
              }),
            )
          : await client.send(
              new QueryCommand({
                ...page,
                KeyConditionExpression: '#pk = :pk',
                FilterExpression: conditions.join(' AND '),
                ExpressionAttributeValues: { ...values, ':pk': ledgerPartition(filter.channel) },
                ExclusiveStartKey: start,
              }),
            );
      yield* answer.Items ?? [];
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
  };

  return {
    async getDelivery(channel, eventId) {
      const item = await get(ledgerKey(channel, eventId));
      return item === undefined ? undefined : deliveryFromItem(item);
    },

    recordDelivery(record) {
      const at = nowSeconds();
      return conditional(
        client.send(
          new PutItemCommand({
            TableName,
            Item: deliveryItem(record, at + LEDGER_TTL_SECONDS),
            ConditionExpression: 'attribute_not_exists(#pk) OR #state = :dead OR #ttl <= :now',
            ExpressionAttributeNames: { ...NAMES, '#state': 'state' },
            ExpressionAttributeValues: { ':dead': { S: 'dead_lettered' }, ':now': { N: String(at) } },
          }),
        ),
      );
    },

    async *listDeliveries(filter) {
      const records: DeliveryRecord[] = [];
      const matches = deliveryFilter(filter);
      for await (const item of ledgerItems(filter)) {
        const record = deliveryFromItem(item);
        // the subject glob has no DynamoDB expression; the rest is checked again so both stores agree exactly
        if (matches(record)) records.push(record);
      }
      yield* records.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
    },

    async getConversation(channel, subject) {
      const item = await get(conversationKey(channel, subject));
      return item === undefined ? undefined : conversationFromItem(item);
    },

    putConversation(channel, subject, value, expected) {
      const at = nowSeconds();
      const item = conversationItem(
        channel,
        subject,
        value,
        (expected ?? 0) + 1,
        at + CONVERSATION_TTL_SECONDS,
      );
      return conditional(
        client.send(
          new PutItemCommand(
            expected === undefined
              ? {
                  TableName,
                  Item: item,
                  ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now',
                  ExpressionAttributeNames: NAMES,
                  ExpressionAttributeValues: { ':now': { N: String(at) } },
                }
              : {
                  TableName,
                  Item: item,
                  ConditionExpression: '#version = :expected AND #ttl > :now',
                  ExpressionAttributeNames: { '#version': 'version', '#ttl': STATE_TABLE.ttlAttribute },
                  ExpressionAttributeValues: {
                    ':expected': { N: String(expected) },
                    ':now': { N: String(at) },
                  },
                },
          ),
        ),
      );
    },
  };
};
